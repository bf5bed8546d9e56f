import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isStreamsError } from '../../../src/common/index.ts';
import { LogEngine } from '../../../src/log/index.ts';
import { decodeBatch, encodeBatch, type StoredRecord } from '../../../src/record/index.ts';
import { encodeRawBatch, type RawBatch, type RawRecord } from './raw-batch.ts';

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const bytesOrNull = (max: number) => fc.option(bytes(max), { nil: null });

const honestRecord = (index: number): fc.Arbitrary<RawRecord> => fc.record({
  timestampDelta: fc.integer({ min: -1000, max: 1000 }),
  offsetDelta: fc.constant(index),
  key: bytesOrNull(8),
  value: bytesOrNull(24),
  headers: fc.array(fc.record({ key: bytes(4), value: bytesOrNull(4) }), { maxLength: 2 }),
});

const honestBatch: fc.Arbitrary<RawBatch> = fc.integer({ min: 1, max: 4 }).chain((count) => fc.record({
  baseTimestamp: fc.integer({ min: 1000, max: 2 ** 40 }),
  records: fc.tuple(...Array.from({ length: count }, (_, i) => honestRecord(i))),
}));

type Lie = (batch: RawBatch) => RawBatch;
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const inRecord = (change: (record: RawRecord, index: number) => fc.Arbitrary<Partial<RawRecord>>): fc.Arbitrary<Lie> =>
  fc.tuple(fc.nat(), fc.nat()).chain(([pick, seed]) => fc.constant((batch: RawBatch) => {
    const index = pick % batch.records.length;
    const record = batch.records[index]!;
    const patch = fc.sample(change(record, index), { numRuns: 1, seed })[0]!;
    return { ...batch, records: batch.records.map((r, i) => (i === index ? { ...r, ...patch } : r)) };
  }));

/** Every header and record field a client controls, each set to a plausible lie (or, sometimes, the truth). */
const lie: fc.Arbitrary<Lie> = fc.oneof(
  fc.oneof(fc.constantFrom(-1, 0, 0x7fffffff), int32).map((v): Lie => (b) => ({ ...b, recordCount: v })),
  fc.integer({ min: -2, max: 2 }).map((d): Lie => (b) => ({ ...b, recordCount: b.records.length + d })),
  fc.oneof(fc.constantFrom(-1, 0, 0x7fffffff), int32).map((v): Lie => (b) => ({ ...b, lastOffsetDelta: v })),
  fc.integer({ min: -2, max: 2 }).map((d): Lie => (b) => ({ ...b, lastOffsetDelta: b.records.length - 1 + d })),
  fc.oneof(fc.constantFrom(-2, -1, 0, 2 ** 53, 2 ** 60, -(2 ** 60)), fc.integer()).map((v): Lie => (b) => ({ ...b, baseTimestamp: v })),
  fc.oneof(fc.constantFrom(-1, 0, 2 ** 60), fc.integer({ min: 0, max: 2 ** 41 })).map((v): Lie => (b) => ({ ...b, maxTimestamp: v })),
  fc.oneof(fc.constantFrom(0x20, 0x08, 0x01, 0x04, 0x07, 0x10, 0x30, 0x40, -1), fc.integer({ min: -0x8000, max: 0x7fff })).map((v): Lie => (b) => ({ ...b, attributes: v })),
  fc.integer({ min: -128, max: 127 }).map((v): Lie => (b) => ({ ...b, magic: v })),
  fc.integer().map((v): Lie => (b) => ({ ...b, producerId: v })),
  fc.integer({ min: -0x8000, max: 0x7fff }).map((v): Lie => (b) => ({ ...b, producerEpoch: v })),
  int32.map((v): Lie => (b) => ({ ...b, baseSequence: v })),
  int32.map((v): Lie => (b) => ({ ...b, partitionLeaderEpoch: v })),
  fc.integer({ min: -80, max: 8 }).map((d): Lie => (b) => ({ ...b, batchLengthDelta: d })),
  bytes(6).map((t): Lie => (b) => ({ ...b, trailing: t })),
  inRecord(() => fc.record({ lengthDelta: fc.integer({ min: -4, max: 4 }) })),
  inRecord(() => fc.record({ attributes: fc.integer({ min: 0, max: 255 }) })),
  inRecord(() => fc.record({ timestampDelta: fc.oneof(fc.constantFrom(2 ** 53, 2 ** 60, -(2 ** 60), -2000), fc.integer()) })),
  inRecord((_, i) => fc.record({ offsetDelta: fc.oneof(fc.constantFrom(i - 1, i + 1, -1, 0, 0x7fffffff), int32) })),
  inRecord((r) => fc.record({ keyLength: fc.oneof(fc.constantFrom(-2, -1, (r.key?.length ?? 0) + 1, 0x7fffffff), int32) })),
  inRecord((r) => fc.record({ valueLength: fc.oneof(fc.constantFrom(-2, -1, (r.value?.length ?? 0) + 1, 0x7fffffff), int32) })),
  inRecord((r) => fc.record({ headerCount: fc.oneof(fc.constantFrom(-1, r.headers.length + 1, 0x7fffffff), int32) })),
  inRecord((r) => fc.record({ headers: fc.constant([...r.headers, { key: null, value: null }]) })),
  inRecord((r) => fc.record({ headers: fc.constant([{ key: Buffer.from('k'), keyLength: -2, value: null }, ...r.headers]) })),
  inRecord(() => fc.record({ padding: bytes(4) })),
);

/** One produce request: one or two batches, each honest or lying. */
const request = fc.array(fc.tuple(honestBatch, fc.option(lie, { freq: 3 })).map(([batch, change]) => encodeRawBatch(change === null ? batch : change(batch))), { minLength: 1, maxLength: 2 })
  .map((batches) => Buffer.concat(batches));

const REFUSALS = new Set(['CORRUPT_RECORD', 'INVALID_RECORD', 'INVALID_TIMESTAMP', 'RECORD_TOO_LARGE']);

/**
 * The produce path's promise, as a property: every request of structurally valid but possibly
 * lying batches is either refused (a coded error, nothing appended) or acknowledged and then fully
 * readable — before and after an unclean reopen, at contiguous offsets, and the next append goes on
 * from there.
 */
export function producePathProperty(baseDir: () => string): fc.IAsyncProperty<[Buffer[]]> {
  return fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), async (requests) => {
    const dataDir = join(baseDir(), 'data');
    let engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
    const expected: StoredRecord[] = [];
    try {
      await engine.createTopic('t', { config: { 'segment.bytes': 400 } });
      for (const bytes of requests) {
        const before = (await engine.listOffsets('t', 0)).latest;
        let base: number;
        try {
          base = (await engine.appendBatch('t', 0, bytes)).baseOffset;
        } catch (error) {
          if (!isStreamsError(error) || !REFUSALS.has(error.code)) throw error;
          if ((await engine.listOffsets('t', 0)).latest !== before) throw new Error(`a refused request appended: ${error.message}`);
          continue;
        }
        if (base !== before) throw new Error(`acknowledged at ${base}, the log end was ${before}`);
        for (let pos = 0; pos < bytes.length; ) {
          const batch = decodeBatch(bytes, pos);
          for (const record of batch.records) expected.push({ ...record, offset: expected.length });
          pos += batch.header.sizeInBytes;
        }
      }
      await expectLog(engine, expected);
      await engine.close();
      rmSync(join(dataDir, '.clean-shutdown'));
      engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
      await expectLog(engine, expected);
      const next = encodeBatch([{ key: null, value: Buffer.from('next'), timestamp: 1, headers: [] }], { baseOffset: 0 });
      if ((await engine.appendBatch('t', 0, next)).baseOffset !== expected.length) throw new Error('the offset after a reopen jumped');
    } finally {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

async function expectLog(engine: LogEngine, expected: readonly StoredRecord[]): Promise<void> {
  const { earliest, latest } = await engine.listOffsets('t', 0);
  if (earliest !== 0 || latest !== expected.length) throw new Error(`log spans [${earliest}, ${latest}), expected [0, ${expected.length})`);
  const read: StoredRecord[] = [];
  while (read.length < expected.length) {
    const batch = await engine.fetch('t', 0, read.length, { maxBytes: 1 });
    if (batch.length === 0) throw new Error(`nothing readable at offset ${read.length}`);
    read.push(...batch);
  }
  expect(read, expected);
}

function expect(actual: readonly StoredRecord[], expected: readonly StoredRecord[]): void {
  const show = (records: readonly StoredRecord[]) => JSON.stringify(records.map((r) => [r.offset, r.timestamp, r.key?.toString('hex') ?? null, r.value?.toString('hex') ?? null, r.headers.map((h) => [h.key, h.value?.toString('hex') ?? null])]));
  if (show(actual) !== show(expected)) throw new Error(`read back ${show(actual)}\nexpected     ${show(expected)}`);
}
