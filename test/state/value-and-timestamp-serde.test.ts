import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Serdes } from '../../src/serde/index.ts';
import type { Serde } from '../../src/serde/index.ts';
import { ValueAndTimestampSerde } from '../../src/state/value-and-timestamp-serde.ts';
import { withTimestamp } from '../../src/state/timestamped-bytes.ts';

/** A serde the store does not know the width of: values take the general path. */
function opaque(serde: Serde<number>): Serde<number> {
  return { serialize: (topic, data) => serde.serialize(topic, data), deserialize: (topic, data) => serde.deserialize(topic, data) };
}

describe('ValueAndTimestampSerde', () => {
  const fixedWidthSerdes: Array<[string, Serde<number>, fc.Arbitrary<number>]> = [
    ['Long', Serdes.Long(), fc.maxSafeInteger()],
    ['Integer', Serdes.Integer(), fc.integer()],
    ['Double', Serdes.Double(), fc.double({ noNaN: true })],
  ];

  for (const [name, serde, values] of fixedWidthSerdes) {
    it(`writes and reads ${name} values in Kafka's layout, as the value serde would (seed 20261206)`, () => {
      const timestamped = new ValueAndTimestampSerde(serde);
      const general = new ValueAndTimestampSerde(opaque(serde));
      fc.assert(fc.property(values, fc.nat(), (value, timestamp) => {
        const bytes = timestamped.serialize('t', { value, timestamp })!;
        expect(bytes).toEqual(withTimestamp(serde.serialize('t', value)!, timestamp));
        expect(bytes).toEqual(general.serialize('t', { value, timestamp }));
        expect(timestamped.deserialize('t', bytes)).toEqual({ value, timestamp });
      }), { seed: 20261206 });
    });
  }

  it('refuses what the value serde refuses, with its error', () => {
    const timestamped = new ValueAndTimestampSerde(Serdes.Long());
    expect(() => timestamped.serialize('t', { value: 1.5, timestamp: 0 })).toThrow(/Serdes.Long\(\) could not serialize a value for topic "t": 1.5 is not a safe integer/);
    expect(() => timestamped.serialize('t', { value: 'x' as unknown as number, timestamp: 0 })).toThrow(/expected a number, got string/);
    expect(() => timestamped.deserialize('t', Buffer.alloc(12))).toThrow(/expected 8 bytes, got 4/);
  });

  it('keeps a null value absent', () => {
    const timestamped = new ValueAndTimestampSerde(Serdes.Long());
    expect(timestamped.serialize('t', { value: null as unknown as number, timestamp: 5 })).toBeNull();
    expect(timestamped.serialize('t', null)).toBeNull();
    expect(timestamped.deserialize('t', null)).toBeNull();
  });
});
