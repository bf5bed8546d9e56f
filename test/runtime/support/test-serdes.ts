import type { Serde } from '../../../src/serde/index.ts';

/** UTF-8 strings; test-only so these tests do not depend on src/serde's implementations. */
export const stringSerde: Serde<string> = {
  serialize: (_topic, data) => (data === null ? null : Buffer.from(data, 'utf8')),
  deserialize: (_topic, data) => (data === null ? null : data.toString('utf8')),
};

/** Kafka's 8-byte big-endian long, as JS numbers. */
export const longSerde: Serde<number> = {
  serialize: (_topic, data) => {
    if (data === null) return null;
    const buf = Buffer.alloc(8);
    buf.writeBigInt64BE(BigInt(data));
    return buf;
  },
  deserialize: (_topic, data) => (data === null ? null : Number(data.readBigInt64BE())),
};
