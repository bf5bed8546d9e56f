import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packStored, packToAppend, unpackStored, unpackToAppend } from '../../../src/runtime/worker/record-page.ts';

/** Records packed for postMessage come back as they were: bytes, nulls, headers, offsets and partitions. */
const bytes = fc.option(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), { nil: null });
const header = fc.record({ key: fc.string({ maxLength: 12 }), value: bytes });
const common = { key: bytes, value: bytes, timestamp: fc.integer({ min: 0, max: 2 ** 48 }), headers: fc.array(header, { maxLength: 3 }) };

describe('record pages', () => {
  it('fetched records survive packing and a structured clone, keys and values as Buffers', () => {
    fc.assert(fc.property(fc.array(fc.record({ offset: fc.integer({ min: 0, max: 2 ** 50 }), ...common }), { maxLength: 20 }), (records) => {
      const received = unpackStored(structuredClone(packStored(records)));
      expect(received).toEqual(records);
      for (const r of received) if (r.key !== null) expect(Buffer.isBuffer(r.key)).toBe(true);
    }), { seed: 441 });
  });

  it('records to append keep their partition, or none for the default partitioner', () => {
    const withPartition = fc.record({ partition: fc.option(fc.nat(63), { nil: undefined }), ...common })
      .map(({ partition, ...rest }) => (partition === undefined ? rest : { ...rest, partition }));
    fc.assert(fc.property(fc.array(withPartition, { maxLength: 20 }), (records) => {
      const received = unpackToAppend(structuredClone(packToAppend(records)));
      expect(received).toEqual(records);
    }), { seed: 442 });
  });
});
