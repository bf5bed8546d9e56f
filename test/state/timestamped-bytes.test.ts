import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rawValueOf, timestampOf, withTimestamp } from '../../src/state/timestamped-bytes.ts';

describe('timestamped bytes', () => {
  it('lays out any safe timestamp as Kafka does (8-byte big-endian signed) and reads it back', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.uint8Array({ maxLength: 16 }), (timestamp, value) => {
        const bytes = withTimestamp(Buffer.from(value), timestamp);
        const expected = Buffer.alloc(8);
        expected.writeBigInt64BE(BigInt(timestamp));
        expect(bytes.subarray(0, 8)).toEqual(expected);
        expect(timestampOf(bytes)).toBe(timestamp);
        expect(rawValueOf(bytes)).toEqual(Buffer.from(value));
      }),
      { seed: 20261206, numRuns: 500 },
    );
    for (const timestamp of [-1, 0, 0xffff_ffff, 0x1_0000_0000, 1_700_000_000_000]) {
      expect(timestampOf(withTimestamp(Buffer.alloc(0), timestamp))).toBe(timestamp);
    }
  });
});
