import type { Serde } from '../../../src/serde/index.ts';

/** UTF-8 strings, as Kafka's StringSerde. */
export const stringSerde: Serde<string> = {
  serialize: (_topic, data) => (data === null ? null : Buffer.from(data, 'utf8')),
  deserialize: (_topic, data) => (data === null ? null : data.toString('utf8')),
};

/** 8-byte big-endian integers, as Kafka's LongSerde. */
export const longSerde: Serde<number> = {
  serialize: (_topic, data) => {
    if (data === null) return null;
    const out = Buffer.alloc(8);
    out.writeBigInt64BE(BigInt(data));
    return out;
  },
  deserialize: (_topic, data) => (data === null ? null : Number(data.readBigInt64BE(0))),
};
