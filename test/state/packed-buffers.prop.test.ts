import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packList, unpackList } from '../../src/state/packed-buffers.ts';

describe('packed lists of byte strings', () => {
  it('unpack to the packed items, nulls and empty strings included', () => {
    fc.assert(fc.property(fc.array(fc.option(fc.uint8Array({ maxLength: 40 }), { freq: 4 }), { maxLength: 30 }), (items) => {
      // Views into a shared pool, as small Buffers are: packing copies only their bytes.
      const buffers = items.map((item) => (item === null ? null : Buffer.from(item)));
      expect(unpackList(packList(buffers)).map((item) => (item === null ? null : [...item]))).toEqual(items.map((item) => (item === null ? null : [...item])));
    }));
  });

  it('packs into a buffer of its own, so it can be transferred without detaching anything else', () => {
    const pooled = Buffer.from('abc');
    const packed = packList([pooled, null]);
    expect(packed.byteLength).toBe(4 + 3 + 4);
    expect(packed).not.toBe(pooled.buffer);
  });
});
