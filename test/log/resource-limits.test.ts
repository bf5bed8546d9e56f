import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStreamsError } from '../../src/common/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { DEFAULT_MAX_OPEN_FILES, openFileCount, setMaxOpenFiles } from '../../src/log/file-handles.ts';
import { tempDir } from '../support/temp-dir.ts';

const PROC_FDS = '/proc/self/fd';
const openDescriptors = (): number => (existsSync(PROC_FDS) ? readdirSync(PROC_FDS).length : 0);

afterEach(() => setMaxOpenFiles(DEFAULT_MAX_OPEN_FILES));

describe('log engine resource limits', () => {
  it('keeps at most maxOpenFiles segment files open, so a log of many small segments writes, reopens and reads', async () => {
    const dataDir = join(tempDir(), 'data');
    const before = openDescriptors();
    let engine = await LogEngine.open({ dataDir, maxOpenFiles: 8, retentionCheckIntervalMs: 0 });
    await engine.createTopic('t', { partitions: 2, config: { 'segment.bytes': 100 } });
    for (let i = 0; i < 60; i++) {
      await engine.produce('t', [{ key: null, value: Buffer.from(`value-${i}`.padEnd(60, '.')), timestamp: i, headers: [], partition: i % 2 }]);
      expect(openFileCount()).toBeLessThanOrEqual(8);
    }
    expect((await engine.describeTopic('t')).partitions.map((p) => p.segments)).toEqual([30, 30]);
    if (existsSync(PROC_FDS)) expect(openDescriptors() - before).toBeLessThan(20); // 180 files, 8 open (+ the lock and JS runtime noise)
    await engine.close();
    expect(openFileCount()).toBe(0);
    rmSync(join(dataDir, '.clean-shutdown')); // an unclean open scans every segment
    engine = await LogEngine.open({ dataDir, maxOpenFiles: 8, retentionCheckIntervalMs: 0 });
    try {
      for (const partition of [0, 1]) {
        const values = [];
        for (let offset = 0; offset < 30; offset++) values.push(...(await engine.fetch('t', partition, offset, { maxBytes: 1 })).slice(0, 1));
        expect(values.map((r) => r.value!.toString().replace(/\.+$/, ''))).toEqual(Array.from({ length: 30 }, (_, i) => `value-${i * 2 + partition}`));
      }
      expect(openFileCount()).toBeLessThanOrEqual(8);
    } finally {
      await engine.close();
    }
  });

  it('refuses more partitions than maxPartitionsPerTopic, creating nothing', async () => {
    const dataDir = join(tempDir(), 'data');
    const engine = await LogEngine.open({ dataDir, maxPartitionsPerTopic: 16, autoCreateTopics: true, defaultPartitions: 17, retentionCheckIntervalMs: 0 });
    try {
      await expect(engine.createTopic('big', { partitions: 7000 })).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
      await expect(engine.produce('auto', [{ key: null, value: null, timestamp: 0, headers: [] }])).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
      await engine.createTopic('ok', { partitions: 16 });
      expect(readdirSync(dataDir).filter((f) => f.startsWith('big') || f.startsWith('auto'))).toEqual([]);
      expect(await engine.listTopics()).toEqual(['ok']);
    } finally {
      await engine.close();
    }
  });

  it('does not bring back the data of a partition directory left over from an earlier topic of the same name', async () => {
    const dataDir = join(tempDir(), 'data');
    let engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
    await engine.createTopic('t', { partitions: 2 });
    await engine.produce('t', [{ key: null, value: Buffer.from('old'), timestamp: 1, headers: [], partition: 1 }]);
    await engine.close();
    // A crash between saving topics.json without "t" and removing its directories leaves them behind.
    const metadata = JSON.parse(readFileSync(join(dataDir, 'topics.json'), 'utf8')) as { topics: Record<string, unknown> };
    delete metadata.topics['t'];
    writeFileSync(join(dataDir, 'topics.json'), JSON.stringify(metadata));
    engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
    try {
      await engine.createTopic('t', { partitions: 2 });
      expect(await engine.listOffsets('t', 1)).toEqual({ earliest: 0, latest: 0 });
    } finally {
      await engine.close();
    }
  });

  it('removes the partitions it made when a create fails part way, and the name stays free', async () => {
    const dataDir = join(tempDir(), 'data');
    const engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
    try {
      writeFileSync(join(dataDir, 't-3'), 'not a directory');
      const error = await engine.createTopic('t', { partitions: 6 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(isStreamsError(error, 'TOPIC_ALREADY_EXISTS')).toBe(false);
      expect(readdirSync(dataDir).filter((f) => f.startsWith('t-')).sort()).toEqual(['t-3']);
      rmSync(join(dataDir, 't-3'));
      await engine.createTopic('t', { partitions: 6 });
      expect(engine.partitionCount('t')).toBe(6);
    } finally {
      await engine.close();
    }
  });
});
