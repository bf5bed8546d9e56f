import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BatchArena, BatchLayout, crc32c, crc32cJs, decodeBatch, nativeCrc32c, encodeBatch, readBatchHeader, setBaseOffset, verifyBatchCrc, type LogRecord,
} from '../../src/record/index.ts';
import { isStreamsError } from '../../src/common/index.ts';

const bytesOrNull = fc.option(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { nil: null });
const recordArb: fc.Arbitrary<LogRecord> = fc.record({
  key: bytesOrNull,
  value: fc.oneof(bytesOrNull, fc.uint8Array({ minLength: 5000, maxLength: 20_000 }).map((a) => Buffer.from(a))),
  timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
  headers: fc.array(fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 20 }), value: bytesOrNull }), { maxLength: 4 }),
});

describe('CRC-32C', () => {
  it('matches the standard check value and the same bytes at any alignment', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43); // RFC 3720 B.4: 32 bytes of 0xff
    const shifted = Buffer.concat([Buffer.from('xyz'), Buffer.from('123456789')]);
    expect(crc32c(shifted, 3)).toBe(0xe3069283);
  });

  it('gives the same checksum from the native code and the JavaScript fallback, on any range of any bytes', () => {
    // The native CRC (@node-rs/crc32) is used where its binary loads; on this platform it must.
    expect(nativeCrc32c).toBe(process.arch === 'x64' || process.arch === 'arm64');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(), fc.nat(), (array, a, b) => {
        const bytes = Buffer.from(array);
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const end = start + (bytes.length === start ? 0 : b % (bytes.length - start + 1));
        expect(crc32c(bytes, start, end)).toBe(crc32cJs(bytes, start, end));
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});

describe('record batch v2', () => {
  it('lays the header out as Kafka does', () => {
    const batch = encodeBatch(
      [
        { key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1000, headers: [] },
        { key: null, value: null, timestamp: 1005, headers: [{ key: 'h', value: null }] },
      ],
      { baseOffset: 42 },
    );
    expect(batch.readBigInt64BE(BatchLayout.BASE_OFFSET)).toBe(42n);
    expect(batch.readInt32BE(BatchLayout.BATCH_LENGTH)).toBe(batch.length - 12);
    expect(batch[BatchLayout.MAGIC]).toBe(2);
    expect(batch.readUInt32BE(BatchLayout.CRC)).toBe(crc32c(batch, BatchLayout.ATTRIBUTES));
    expect(batch.readInt32BE(BatchLayout.LAST_OFFSET_DELTA)).toBe(1);
    expect(batch.readBigInt64BE(BatchLayout.BASE_TIMESTAMP)).toBe(1000n);
    expect(batch.readBigInt64BE(BatchLayout.MAX_TIMESTAMP)).toBe(1005n);
    expect(batch.readBigInt64BE(BatchLayout.PRODUCER_ID)).toBe(-1n);
    expect(batch.readInt32BE(BatchLayout.RECORD_COUNT)).toBe(2);
    // first record, zig-zag varints: length 8, attributes 0, timestamp delta 0, offset delta 0,
    // key length 1 'k', value length 1 'v', 0 headers
    expect(batch.subarray(61, 70).toString('hex')).toBe('10' + '00' + '00' + '00' + '026b' + '0276' + '00');
  });

  it('round-trips arbitrary records with consecutive offsets', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 2 ** 40 }), (records, baseOffset) => {
        const batch = encodeBatch(records, { baseOffset });
        const decoded = decodeBatch(batch);
        expect(decoded.header.recordCount).toBe(records.length);
        expect(decoded.records.map((r) => r.offset)).toEqual(records.map((_, i) => baseOffset + i));
        decoded.records.forEach((r, i) => {
          const original = records[i]!;
          expect(r.timestamp).toBe(original.timestamp);
          expect(r.key === null ? null : Buffer.from(r.key)).toEqual(original.key);
          expect(r.value === null ? null : Buffer.from(r.value)).toEqual(original.value);
          expect(r.headers.map((h) => [h.key, h.value === null ? null : Buffer.from(h.value)])).toEqual(original.headers.map((h) => [h.key, h.value]));
        });
      }),
      { seed: 11, numRuns: 60 },
    );
  });

  it('encodes in an arena the bytes encodeBatch gives, and a batch encoded before the arena grew stays whole until reset', () => {
    fc.assert(
      fc.property(fc.array(fc.array(recordArb, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 }), fc.nat(1000), (batches, baseOffset) => {
        const arena = new BatchArena();
        // Twice: the second round reuses the memory the first one grew.
        for (let round = 0; round < 2; round++) {
          const encoded = batches.map((records, i) => arena.encode(records, { baseOffset: baseOffset + i, producerId: i, producerEpoch: 1, baseSequence: i }));
          encoded.forEach((bytes, i) => {
            expect(bytes.equals(encodeBatch(batches[i]!, { baseOffset: baseOffset + i, producerId: i, producerEpoch: 1, baseSequence: i }))).toBe(true);
          });
          arena.reset();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('skips records below the requested offset inside a batch', () => {
    const records = [0, 1, 2, 3].map((i) => ({ key: null, value: Buffer.from([i]), timestamp: i, headers: [] }));
    expect(decodeBatch(encodeBatch(records, { baseOffset: 10 }), 0, 12).records.map((r) => r.offset)).toEqual([12, 13]);
  });

  it('keeps its CRC valid when the base offset is rewritten', () => {
    const batch = encodeBatch([{ key: null, value: Buffer.from('x'), timestamp: 1, headers: [] }], { baseOffset: 0 });
    setBaseOffset(batch, 0, 9000);
    const header = readBatchHeader(batch)!;
    expect(header.baseOffset).toBe(9000);
    expect(verifyBatchCrc(batch, 0, header)).toBe(true);
    expect(decodeBatch(batch).records[0]!.offset).toBe(9000);
  });

  it('detects any flipped bit covered by the CRC and never returns its records', () => {
    const batch = encodeBatch([{ key: Buffer.from('key'), value: Buffer.alloc(200, 7), timestamp: 5, headers: [{ key: 'a', value: Buffer.from('b') }] }], { baseOffset: 0 });
    fc.assert(
      fc.property(fc.integer({ min: BatchLayout.ATTRIBUTES, max: batch.length - 1 }), fc.integer({ min: 0, max: 7 }), (pos, bit) => {
        const damaged = Buffer.from(batch);
        damaged[pos]! ^= 1 << bit;
        let error: unknown;
        try {
          decodeBatch(damaged);
        } catch (e) {
          error = e;
        }
        expect(isStreamsError(error, 'CORRUPT_RECORD')).toBe(true);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('refuses compressed batches naming the codec, and truncated ones', () => {
    const batch = encodeBatch([{ key: null, value: Buffer.from('x'), timestamp: 1, headers: [] }], { baseOffset: 0 });
    const gzip = Buffer.from(batch);
    gzip.writeInt16BE(1, BatchLayout.ATTRIBUTES);
    gzip.writeUInt32BE(crc32c(gzip, BatchLayout.ATTRIBUTES), BatchLayout.CRC);
    expect(() => decodeBatch(gzip)).toThrow(/compressed with gzip.*compression.type=none/);
    expect(() => decodeBatch(batch.subarray(0, batch.length - 1))).toThrow(/does not fit/);
    expect(readBatchHeader(batch.subarray(0, 30))).toBeNull();
  });
});
