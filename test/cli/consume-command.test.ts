import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogEngine } from '../../src/log/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { cli } from './in-process-cli.ts';

describe('kstreams consume on the embedded engine', () => {
  it('starts a group whose committed offset retention has passed at the earliest record left', async () => {
    const dataDir = join(tempDir(), 'data');
    const engine = await LogEngine.open({ dataDir });
    await engine.createTopic('events');
    await engine.produce('events', ['a', 'b', 'c'].map((v) => ({ key: null, value: Buffer.from(v), timestamp: 1, headers: [] })));
    await engine.commitOffsets('audit', [{ topic: 'events', partition: 0, offset: 0 }]);
    await engine.deleteRecords('events', 0, 2);
    await engine.close();
    const consumed = await cli(['consume', 'events', '--group', 'audit', '--data-dir', dataDir]);
    expect([consumed.code, consumed.stderr, consumed.lines]).toEqual([0, '', ['c']]);
    expect((await cli(['consume', 'events', '--group', 'audit', '--data-dir', dataDir])).lines).toEqual([]);
  });

  it('follows several partitions until --max-messages and names a partition that does not exist', async () => {
    const dataDir = ['--data-dir', join(tempDir(), 'data')];
    await cli(['topics', 'create', 'numbers', '--partitions', '3', ...dataDir]);
    await cli(['produce', 'numbers', '--key-separator', ':', '--value-serde', 'integer', ...dataDir], 'a:1\nb:2\nc:3\nd:4\n');
    const followed = await cli(['consume', 'numbers', '--follow', '--max-messages', '4', '--value-serde', 'integer', ...dataDir]);
    expect(followed.lines.sort()).toEqual(['1', '2', '3', '4']);
    const missing = await cli(['consume', 'numbers', '--partition', '3', ...dataDir]);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'kstreams: --partition 3: topic "numbers" has 3 partition(s)']);
  });
});
