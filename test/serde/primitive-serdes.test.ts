import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { isStreamsError } from '../../src/common/index.ts';

const hex = (b: Buffer | null) => b?.toString('hex');

describe('number serdes use Kafka byte layouts', () => {
  it('Long is 8-byte big-endian two\'s complement', () => {
    const long = Serdes.Long();
    expect(hex(long.serialize('t', 1))).toBe('0000000000000001');
    expect(hex(long.serialize('t', -1))).toBe('ffffffffffffffff');
    expect(hex(long.serialize('t', 256))).toBe('0000000000000100');
    expect(hex(long.serialize('t', 2 ** 32))).toBe('0000000100000000');
    expect(hex(long.serialize('t', -(2 ** 32) - 1))).toBe('fffffffeffffffff');
    expect(hex(long.serialize('t', Number.MAX_SAFE_INTEGER))).toBe('001fffffffffffff');
    expect(long.deserialize('t', Buffer.from('fffffffffffffffe', 'hex'))).toBe(-2);
  });

  it('Integer is 4-byte big-endian and Double is IEEE 754 big-endian', () => {
    expect(hex(Serdes.Integer().serialize('t', -2))).toBe('fffffffe');
    expect(hex(Serdes.Integer().serialize('t', 0x01020304))).toBe('01020304');
    expect(hex(Serdes.Double().serialize('t', 1.5))).toBe('3ff8000000000000');
    expect(Serdes.Double().deserialize('t', Buffer.from('c000000000000000', 'hex'))).toBe(-2);
  });

  it('round-trips every value in range', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => Serdes.Long().deserialize('t', Serdes.Long().serialize('t', n)) === n), { seed: 1 });
    fc.assert(fc.property(fc.integer(), (n) => Serdes.Integer().deserialize('t', Serdes.Integer().serialize('t', n)) === n), { seed: 2 });
    fc.assert(
      fc.property(fc.double(), (n) => Object.is(Serdes.Double().deserialize('t', Serdes.Double().serialize('t', n)), n)),
      { seed: 3 },
    );
  });

  it('refuses values that do not fit and byte arrays of the wrong length, naming the topic', () => {
    expect(() => Serdes.Long().serialize('orders', 2 ** 53)).toThrow(/Serdes.Long\(\).*"orders".*safe integer/);
    expect(() => Serdes.Long().serialize('orders', 1.5)).toThrow(/safe integer/);
    expect(() => Serdes.Integer().serialize('orders', 2 ** 31)).toThrow(/32-bit/);
    let error: unknown;
    try {
      Serdes.Long().deserialize('orders', Buffer.alloc(5));
    } catch (e) {
      error = e;
    }
    expect(isStreamsError(error, 'DESERIALIZATION_ERROR')).toBe(true);
    expect(String(error)).toMatch(/"orders".*expected 8 bytes, got 5/);
    expect(() => Serdes.Long().deserialize('t', Buffer.from('0020000000000000', 'hex'))).toThrow(/safe integer range/);
  });
});

describe('String, Bytes and Void', () => {
  it('String is UTF-8 and round-trips any string', () => {
    expect(hex(Serdes.String().serialize('t', 'hé'))).toBe('68c3a9');
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => Serdes.String().deserialize('t', Serdes.String().serialize('t', s)) === s), { seed: 4 });
  });

  it('null stays null in every serde', () => {
    for (const serde of [Serdes.String(), Serdes.Long(), Serdes.Integer(), Serdes.Double(), Serdes.Bytes(), Serdes.Void(), Serdes.Json()]) {
      expect(serde.serialize('t', null)).toBeNull();
      expect(serde.deserialize('t', null)).toBeNull();
    }
  });

  it('Bytes passes buffers through and Void refuses data', () => {
    const bytes = Buffer.from([1, 2, 3]);
    expect(Serdes.Bytes().deserialize('t', Serdes.Bytes().serialize('t', bytes))).toEqual(bytes);
    expect(Serdes.ByteArray().serialize('t', bytes)).toBe(bytes);
    expect(() => Serdes.Void().deserialize('t', Buffer.from([0]))).toThrow(/expected no data/);
  });
});
