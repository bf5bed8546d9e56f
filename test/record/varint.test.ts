import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readVarlong, sizeOfVarlong, writeVarlong } from '../../src/record/varint.ts';

/** The varlong bytes of `value` by the definition: zig-zag in doubles, then 7 bits per byte. */
function reference(value: number): number[] {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  const bytes: number[] = [];
  while (v >= 128) {
    bytes.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return bytes;
}

// Values around every boundary of the 31-bit fast path and of each byte length, and at ±2^52 (beyond
// that the zig-zag doubles of the definition are no longer exact).
const edges = [0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, -8193, 2 ** 30 - 1, -(2 ** 30), 2 ** 30, -(2 ** 30) - 1, 2 ** 31, -(2 ** 31), 2 ** 52 - 1, -(2 ** 52)];
const anyValue = fc.oneof(fc.integer(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 - 1 }), fc.constantFrom(...edges));

describe('varlong', () => {
  it('writes the bytes of the definition, says their count, and reads the value back', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const buffer = Buffer.alloc(12);
        const end = writeVarlong(buffer, 1, value);
        expect([...buffer.subarray(1, end)]).toEqual(reference(value));
        expect(sizeOfVarlong(value)).toBe(end - 1);
        const cursor = { value: 0, pos: 1 };
        expect(readVarlong(buffer, cursor, end)).toBe(true);
        expect(cursor).toEqual({ value, pos: end });
      }),
      { examples: edges.map((v) => [v]) },
    );
  });
});
