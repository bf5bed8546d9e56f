import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { isStreamsError } from '../../src/common/index.ts';

interface Order {
  user: string;
  amount: number;
}

describe('Serdes.Json', () => {
  it('round-trips JSON values', () => {
    const serde = Serdes.Json<unknown>();
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(serde.deserialize('t', serde.serialize('t', value))).toEqual(JSON.parse(JSON.stringify(value)));
    }), { seed: 5 });
  });

  it('rejects malformed JSON and values failing validation with DESERIALIZATION_ERROR naming the topic', () => {
    const serde = Serdes.Json<Order>({ typeName: 'Order', validate: (v) => typeof (v as Order).amount === 'number' });
    expect(serde.deserialize('orders', Buffer.from('{"user":"a","amount":3}'))).toEqual({ user: 'a', amount: 3 });
    expect(() => serde.deserialize('orders', Buffer.from('{"user":'))).toThrow(/Json<Order>.*"orders".*not valid JSON/);
    try {
      serde.deserialize('orders', Buffer.from('{"user":"a"}'));
      expect.unreachable();
    } catch (e) {
      expect(isStreamsError(e, 'DESERIALIZATION_ERROR')).toBe(true);
      expect(String(e)).toMatch(/failed validation: \{"user":"a"\}/);
    }
  });
});

describe('Serdes.Avro', () => {
  const schema = {
    type: 'record' as const,
    name: 'Order',
    fields: [
      { name: 'user', type: 'string' },
      { name: 'amount', type: 'long' },
    ],
  };

  it('writes raw Avro binary: zig-zag varint lengths and longs', () => {
    const bytes = Serdes.Avro<Order>(schema).serialize('t', { user: 'ab', amount: 3 });
    // string "ab": length 2 zig-zag → 0x04, then 'a' 'b'; long 3 zig-zag → 0x06
    expect(bytes?.toString('hex')).toBe('04616206');
  });

  it('frames Confluent wire format: magic 0, 4-byte big-endian schema id, then the body', () => {
    const serde = Serdes.Avro<Order>(schema, { confluent: { schemaId: 258 } });
    const bytes = serde.serialize('t', { user: 'ab', amount: 3 })!;
    expect(bytes.toString('hex')).toBe('00' + '00000102' + '04616206');
    expect(serde.deserialize('t', bytes)).toEqual({ user: 'ab', amount: 3 });
  });

  it('refuses a wrong magic byte, another schema id and values not matching the schema', () => {
    const serde = Serdes.Avro<Order>(schema, { confluent: { schemaId: 7 } });
    expect(() => serde.deserialize('orders', Buffer.from('0104616206', 'hex'))).toThrow(/Confluent framing.*0x01/);
    expect(() => serde.deserialize('orders', Buffer.from('000000000804616206', 'hex'))).toThrow(/schema id 8.*schema id 7/);
    expect(() => serde.serialize('orders', { user: 'a', amount: 'x' } as unknown as Order)).toThrow(/does not match the schema at amount/);
  });

  // avsc encodes Avro longs exactly within ±2^52 (documented on Serdes.Avro).
  it('round-trips arbitrary records', () => {
    const serde = Serdes.Avro<Order>(JSON.stringify(schema));
    fc.assert(fc.property(fc.record({ user: fc.string(), amount: fc.integer({ min: -(2 ** 52), max: 2 ** 52 }) }), (order) => {
      expect(serde.deserialize('t', serde.serialize('t', order))).toEqual(order);
    }), { seed: 6 });
  });
});
