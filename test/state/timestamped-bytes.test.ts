import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawValueOf, timestampOf, withTimestamp } from '../../src/state/timestamped-bytes.ts';
import { ValueAndTimestampSerde } from '../../src/state/value-and-timestamp-serde.ts';
import { Serdes } from '../../src/serde/index.ts';

/** Kafka's layout written the plain way: an 8-byte big-endian signed long, then the value. */
function kafkaLayout(value: Buffer, timestamp: number): Buffer {
  const prefix = Buffer.alloc(8);
  prefix.writeBigInt64BE(BigInt(timestamp));
  return Buffer.concat([prefix, value]);
}

describe('timestamped bytes', () => {
  it('write Kafka\'s layout for the edges of the 32-bit halves and reads them back', () => {
    const value = Buffer.from('v');
    for (const timestamp of [0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 1_700_000_000_000, Number.MAX_SAFE_INTEGER, -1, -(2 ** 32), Number.MIN_SAFE_INTEGER]) {
      const written = withTimestamp(value, timestamp);
      expect(written).toEqual(kafkaLayout(value, timestamp));
      expect(timestampOf(written)).toBe(timestamp);
      expect(rawValueOf(written)).toEqual(value);
    }
  });

  it('matches Kafka\'s layout for any safe integer timestamp and any value (seed 20261206)', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), fc.uint8Array({ maxLength: 16 }), (timestamp, bytes) => {
      const value = Buffer.from(bytes);
      const written = withTimestamp(value, timestamp);
      return written.equals(kafkaLayout(value, timestamp)) && timestampOf(written) === timestamp;
    }), { seed: 20261206 });
  });

  it('refuses a timestamp that is not a whole number, as before', () => {
    expect(() => withTimestamp(Buffer.alloc(0), 1.5)).toThrow(RangeError);
  });
});

describe('timestamped Long values', () => {
  const long = Serdes.Long();
  const serde = new ValueAndTimestampSerde(long);

  it('are written and read exactly as the timestamp in front of Serdes.Long()\'s bytes (seed 20261208)', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), (value, timestamp) => {
      const written = serde.serialize('t', { value, timestamp })!;
      expect(written).toEqual(withTimestamp(long.serialize('t', value)!, timestamp));
      expect(serde.deserialize('t', written)).toEqual({ value, timestamp });
    }), { seed: 20261208 });
  });

  it('refuse what Serdes.Long() refuses, with its error, both ways', () => {
    expect(() => serde.serialize('t', { value: 1.5, timestamp: 0 })).toThrow(/Serdes.Long\(\)/);
    const beyondSafe = Buffer.alloc(16);
    beyondSafe.writeBigInt64BE(2n ** 60n, 8);
    expect(() => serde.deserialize('t', beyondSafe)).toThrow(/Serdes.Long\(\).*safe integer range/);
  });
});
