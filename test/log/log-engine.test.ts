import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LogEngine, type ProduceRecord } from '../../src/log/index.ts';
import { ManualClock, isStreamsError, partitionForKey } from '../../src/common/index.ts';
import { encodeBatch, readBatchHeader } from '../../src/record/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const k = (text: string): Buffer => Buffer.from(text);
const bytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
const recordArb: fc.Arbitrary<ProduceRecord> = fc.record({
  key: fc.option(bytes, { nil: null }),
  value: fc.option(fc.oneof(bytes, fc.uint8Array({ minLength: 3000, maxLength: 9000 }).map((a) => Buffer.from(a))), { nil: null }),
  timestamp: fc.integer({ min: 0, max: 2 ** 41 }),
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: fc.option(bytes, { nil: null }) }), { maxLength: 3 }),
});

function plain(r: { key: Buffer | null; value: Buffer | null; timestamp: number; headers: readonly { key: string; value: Buffer | null }[] }) {
  const copy = (b: Buffer | null) => (b === null ? null : Buffer.from(b).toString('hex'));
  return { key: copy(r.key), value: copy(r.value), timestamp: r.timestamp, headers: r.headers.map((h) => [h.key, copy(h.value)]) };
}

async function readAll(log: LogEngine, topic: string, partition: number) {
  const { earliest, latest } = await log.listOffsets(topic, partition);
  const out = [];
  for (let offset = earliest; offset < latest; ) {
    const records = await log.fetch(topic, partition, offset, { maxBytes: 4096 });
    if (records.length === 0) break;
    out.push(...records);
    offset = records[records.length - 1]!.offset + 1;
  }
  return out;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('LogEngine', () => {
  it('round-trips arbitrary records with consecutive offsets, and returns identical content after reopening', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(recordArb, { minLength: 1, maxLength: 15 }), { minLength: 1, maxLength: 8 }), async (calls) => {
        const dir = tempDir();
        let log = await LogEngine.open({ dataDir: dir });
        await log.createTopic('t', { partitions: 1, config: { 'segment.bytes': 20_000, 'index.interval.bytes': 500 } });
        let expectedOffset = 0;
        for (const call of calls) {
          const acks = await log.produce('t', call.map((r) => ({ ...r, partition: 0 })));
          expect(acks.map((a) => a.offset)).toEqual(call.map((_, i) => expectedOffset + i));
          expectedOffset += call.length;
        }
        const expected = calls.flat().map(plain);
        const before = await readAll(log, 't', 0);
        expect(before.map((r) => r.offset)).toEqual(expected.map((_, i) => i));
        expect(before.map(plain)).toEqual(expected);
        await log.close();
        log = await LogEngine.open({ dataDir: dir });
        expect((await readAll(log, 't', 0)).map(plain)).toEqual(expected);
        await log.close();
      }),
      { seed: 21, numRuns: 25 },
    );
  });

  it('places keyed records with Kafka\'s murmur2 partitioner and spreads null keys', async () => {
    const log = await LogEngine.open({ dataDir: tempDir() });
    await log.createTopic('t', { partitions: 6 });
    const keys = Array.from({ length: 50 }, (_, i) => Buffer.from(`user-${i}`));
    const acks = await log.produce('t', keys.map((key) => ({ key, value: null, timestamp: 0, headers: [] })));
    acks.forEach((ack, i) => expect(ack.partition).toBe(partitionForKey(keys[i]!, 6)));
    const spread = await log.produce('t', Array.from({ length: 12 }, () => ({ key: null, value: Buffer.from('x'), timestamp: 0, headers: [] })));
    expect(new Set(spread.map((a) => a.partition)).size).toBe(6);
    await log.close();
  });

  it('answers produceRanges with one range per partition: its records at consecutive offsets in call order', async () => {
    const log = await LogEngine.open({ dataDir: tempDir() });
    await log.createTopic('t', { partitions: 3 });
    await log.produce('t', [{ key: null, value: k('first'), timestamp: 0, headers: [], partition: 1 }]);
    const records = Array.from({ length: 30 }, (_, i) => ({ key: k(`user-${i}`), value: k(`v${i}`), timestamp: i, headers: [] }));
    const ranges = await log.produceRanges('t', records);
    expect(ranges.map((r) => r.count).reduce((a, b) => a + b)).toBe(30);
    for (const { partition, baseOffset, count } of ranges) {
      const expected = records.filter((r) => partitionForKey(r.key, 3) === partition).map((r) => r.value.toString());
      const stored = (await log.fetch('t', partition, baseOffset)).map((r) => r.value!.toString());
      expect({ partition, stored }).toEqual({ partition, stored: expected });
      expect(count).toBe(expected.length);
      expect(baseOffset).toBe(partition === 1 ? 1 : 0);
    }
    expect(await log.produceRanges('t', [])).toEqual([]);
    await log.close();
  });

  it('rolls segments named by their 20-digit base offset and serves reads across them', async () => {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: dir });
    await log.createTopic('orders', { partitions: 1, config: { 'segment.bytes': 1000 } });
    for (let i = 0; i < 30; i++) await log.produce('orders', [{ key: null, value: Buffer.alloc(100, i), timestamp: i, headers: [] }]);
    const files = readdirSync(join(dir, 'orders-0')).filter((f) => f.endsWith('.log'));
    expect(files[0]).toBe('00000000000000000000.log');
    expect(files.length).toBeGreaterThan(3);
    expect(files.every((f) => /^\d{20}\.log$/.test(f))).toBe(true);
    expect(existsSync(join(dir, 'orders-0', '00000000000000000000.index'))).toBe(true);
    expect(existsSync(join(dir, 'orders-0', '00000000000000000000.timeindex'))).toBe(true);
    expect((await readAll(log, 'orders', 0)).map((r) => r.value![0])).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect((await log.fetch('orders', 0, 17))[0]!.offset).toBe(17);
    await log.close();
  });

  it('rebuilds deleted indexes on open and still finds offsets and timestamps', async () => {
    const dir = tempDir();
    let log = await LogEngine.open({ dataDir: dir });
    await log.createTopic('t', { config: { 'index.interval.bytes': 200, 'segment.bytes': 3000 } });
    for (let i = 0; i < 60; i++) await log.produce('t', [{ key: null, value: Buffer.alloc(50), timestamp: 1000 + i * 10, headers: [] }]);
    await log.close();
    for (const f of readdirSync(join(dir, 't-0'))) if (!f.endsWith('.log')) rmSync(join(dir, 't-0', f));
    log = await LogEngine.open({ dataDir: dir });
    expect((await log.fetch('t', 0, 41))[0]!.offset).toBe(41);
    expect(await log.offsetForTimestamp('t', 0, 1255)).toBe(26);
    expect(await log.offsetForTimestamp('t', 0, 1000)).toBe(0);
    expect(await log.offsetForTimestamp('t', 0, 99_999)).toBeNull();
    expect(existsSync(join(dir, 't-0', '00000000000000000000.index'))).toBe(true);
    await log.close();
  });

  it('finds the first offset at or after a timestamp, like a scan of the records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 0, max: 520 }), async (timestamps, target) => {
        const log = await LogEngine.open({ dataDir: tempDir() });
        await log.createTopic('t', { config: { 'index.interval.bytes': 64, 'segment.bytes': 600 } });
        for (let i = 0; i < timestamps.length; i += 3) {
          await log.produce('t', timestamps.slice(i, i + 3).map((timestamp) => ({ key: null, value: Buffer.from('v'), timestamp, headers: [] })));
        }
        const expected = timestamps.findIndex((t) => t >= target);
        expect(await log.offsetForTimestamp('t', 0, target)).toBe(expected === -1 ? null : expected);
        await log.close();
      }),
      { seed: 22, numRuns: 40 },
    );
  });

  it('wakes a waiting fetch as soon as data arrives, and times out otherwise', async () => {
    const log = await LogEngine.open({ dataDir: tempDir() });
    await log.createTopic('t');
    const waiting = log.fetch('t', 0, 0, { maxWaitMs: 60_000 });
    await log.produce('t', [{ key: null, value: Buffer.from('late'), timestamp: 1, headers: [] }]);
    expect((await waiting).map((r) => r.value!.toString())).toEqual(['late']);
    expect(await log.fetch('t', 0, 1, { maxWaitMs: 5 })).toEqual([]);
    await log.close();
  });

  it('gives coded errors that name what was wrong, and appends nothing for a refused call', async () => {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: dir });
    await log.createTopic('t', { partitions: 2, config: { 'max.message.bytes': 1000 } });
    expect(String(await rejected(log.fetch('nope', 0, 0)))).toMatch(/topic "nope" does not exist/);
    expect(isStreamsError(await rejected(log.fetch('nope', 0, 0)), 'UNKNOWN_TOPIC')).toBe(true);
    expect(isStreamsError(await rejected(log.createTopic('bad name')), 'INVALID_TOPIC_NAME')).toBe(true);
    expect(isStreamsError(await rejected(log.createTopic('t')), 'TOPIC_ALREADY_EXISTS')).toBe(true);
    const partitionError = await rejected(log.fetch('t', 2, 0));
    expect(isStreamsError(partitionError, 'PARTITION_OUT_OF_RANGE')).toBe(true);
    expect(String(partitionError)).toMatch(/partitions 0\.\.1/);
    await log.produce('t', [{ key: null, value: Buffer.from('a'), timestamp: 0, headers: [], partition: 0 }]);
    const offsetError = await rejected(log.fetch('t', 0, 5));
    expect(isStreamsError(offsetError, 'OFFSET_OUT_OF_RANGE')).toBe(true);
    expect(String(offsetError)).toMatch(/\[0, 1\]/);
    const tooLarge = await rejected(
      log.produce('t', [
        { key: null, value: Buffer.from('small'), timestamp: 0, headers: [], partition: 1 },
        { key: null, value: Buffer.alloc(2000), timestamp: 0, headers: [], partition: 0 },
      ]),
    );
    expect(isStreamsError(tooLarge, 'RECORD_TOO_LARGE')).toBe(true);
    expect(await log.listOffsets('t', 1)).toEqual({ earliest: 0, latest: 0 });
    expect(await log.listOffsets('t', 0)).toEqual({ earliest: 0, latest: 1 });
    const locked = await rejected(LogEngine.open({ dataDir: dir }));
    expect(isStreamsError(locked, 'DATA_DIR_LOCKED')).toBe(true);
    await log.close();
    expect(isStreamsError(caught(() => log.partitionCount('t')), 'ENGINE_CLOSED')).toBe(true);
  });

  it('keeps consumer-group offsets with their metadata across restarts', async () => {
    const dir = tempDir();
    const clock = new ManualClock(5000);
    let log = await LogEngine.open({ dataDir: dir, clock });
    await log.createTopic('t', { partitions: 2 });
    await log.commitOffsets('app', [{ topic: 't', partition: 1, offset: 42, metadata: 'm' }]);
    await log.close();
    log = await LogEngine.open({ dataDir: dir, clock });
    expect(await log.fetchOffsets('app')).toEqual([{ topic: 't', partition: 1, offset: 42, metadata: 'm', commitTimestamp: 5000 }]);
    expect(await log.listGroups()).toEqual(['app']);
    await log.deleteTopic('t');
    expect(await log.fetchOffsets('app')).toEqual([]);
    await log.close();
  });

  it('stamps records with the append time on a LogAppendTime topic, from either produce path', async () => {
    const clock = new ManualClock(7_000);
    const log = await LogEngine.open({ dataDir: tempDir(), clock });
    await log.createTopic('stamped', { config: { 'message.timestamp.type': 'LogAppendTime' } });
    await log.createTopic('created', {});
    await log.produce('stamped', [{ key: k('a'), value: k('1'), timestamp: 100, headers: [] }]);
    clock.advance(1_000);
    const wire = encodeBatch([{ key: k('b'), value: k('2'), timestamp: 200, headers: [] }, { key: k('c'), value: k('3'), timestamp: 300, headers: [] }], { baseOffset: 0 });
    expect(await log.appendBatch('stamped', 0, wire)).toEqual({ baseOffset: 1, logAppendTimeMs: 8_000, duplicate: false, logStartOffset: 0 });
    expect((await log.fetch('stamped', 0, 0)).map((r) => r.timestamp)).toEqual([7_000, 8_000, 8_000]);
    // The producer's timestamps stay on a CreateTime topic, and the stamped batch's CRC is valid (fetch checks it).
    expect(await log.appendBatch('created', 0, wire)).toEqual({ baseOffset: 0, logAppendTimeMs: -1, duplicate: false, logStartOffset: 0 });
    expect((await log.fetch('created', 0, 0)).map((r) => r.timestamp)).toEqual([200, 300]);
    expect((await log.describeTopic('stamped')).config['message.timestamp.type']).toBe('LogAppendTime');
    await log.close();
  });

  it('stores batches in place when asked: the bytes given become the stored batch, which reads back whole', async () => {
    const log = await LogEngine.open({ dataDir: tempDir() });
    await log.createTopic('t', { config: { 'message.timestamp.type': 'LogAppendTime' } });
    await log.produce('t', [{ key: k('a'), value: k('1'), timestamp: 100, headers: [] }]);
    const first = encodeBatch([{ key: k('b'), value: k('2'), timestamp: 200, headers: [] }], { baseOffset: 0 });
    const second = encodeBatch([{ key: k('c'), value: k('3'), timestamp: 300, headers: [] }, { key: k('d'), value: k('4'), timestamp: 250, headers: [] }], { baseOffset: 0 });
    const request = Buffer.concat([Buffer.from('xx'), first, second]).subarray(2);
    await log.deleteRecords('t', 0, 1);
    expect(await log.appendBatch('t', 0, request, { inPlace: true })).toMatchObject({ baseOffset: 1, duplicate: false, logStartOffset: 1 });
    // The offsets and the stamped time (with its CRC) were written into the request's bytes, which are what the log holds.
    expect(readBatchHeader(request, first.length)!.baseOffset).toBe(2);
    const stored = await log.fetchBatches('t', 0, 1, 1 << 20);
    expect(Buffer.compare(stored.bytes, request)).toBe(0);
    expect((await log.fetch('t', 0, 1)).map((r) => [r.offset, r.value!.toString()])).toEqual([[1, '2'], [2, '3'], [3, '4']]);
    await log.close();
  });

  it('deletes records before an offset: the log start moves there, survives a restart, never goes back', async () => {
    const dir = tempDir();
    let log = await LogEngine.open({ dataDir: dir });
    await log.createTopic('rep', { config: { 'segment.bytes': 200 } });
    for (let i = 0; i < 20; i++) await log.produce('rep', [{ key: k(`k${i}`), value: k(`value-${i}`), timestamp: i, headers: [] }]);
    const segmentsBefore = readdirSync(join(dir, 'rep-0')).filter((f) => f.endsWith('.log')).length;
    expect(await log.deleteRecords('rep', 0, 13)).toEqual({ lowWatermark: 13 });
    expect(readdirSync(join(dir, 'rep-0')).filter((f) => f.endsWith('.log')).length).toBeLessThan(segmentsBefore);
    expect(await log.listOffsets('rep', 0)).toEqual({ earliest: 13, latest: 20 });
    expect((await log.fetch('rep', 0, 13))[0]!.offset).toBe(13);
    expect(isStreamsError(await log.fetch('rep', 0, 12).catch((e: unknown) => e), 'OFFSET_OUT_OF_RANGE')).toBe(true);
    expect(await log.deleteRecords('rep', 0, 5)).toEqual({ lowWatermark: 13 });
    expect(isStreamsError(await log.deleteRecords('rep', 0, 21).catch((e: unknown) => e), 'OFFSET_OUT_OF_RANGE')).toBe(true);
    await log.close();
    log = await LogEngine.open({ dataDir: dir });
    expect(await log.listOffsets('rep', 0)).toEqual({ earliest: 13, latest: 20 });
    expect(await log.deleteRecords('rep', 0, -1)).toEqual({ lowWatermark: 20 });
    expect(await log.fetch('rep', 0, 20)).toEqual([]);
    await log.close();
  });
});
