import type { Serde } from './serde.ts';
import { deserializationError, serializationError } from './serde-errors.ts';

/** UTF-8 strings, as Kafka's StringSerializer/StringDeserializer. */
export const stringSerde: Serde<string> = {
  serialize(topic, data) {
    if (data === null) return null;
    if (typeof data !== 'string') throw serializationError('Serdes.String()', topic, `expected a string, got ${typeof data}`);
    return Buffer.from(data, 'utf8');
  },
  deserialize(_topic, data) {
    return data === null ? null : data.toString('utf8');
  },
};

function fixedWidth(
  serdeName: string,
  width: number,
  write: (buffer: Buffer, value: number) => void,
  read: (buffer: Buffer, topic: string) => number,
  check: (value: number) => string | undefined,
): Serde<number> {
  return {
    serialize(topic, data) {
      if (data === null) return null;
      if (typeof data !== 'number') throw serializationError(serdeName, topic, `expected a number, got ${typeof data}`);
      const problem = check(data);
      if (problem !== undefined) throw serializationError(serdeName, topic, problem);
      const buffer = Buffer.allocUnsafe(width);
      write(buffer, data);
      return buffer;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      if (data.length !== width) {
        throw deserializationError(serdeName, topic, `expected ${width} bytes, got ${data.length}`);
      }
      return read(data, topic);
    },
  };
}

const TWO_TO_32 = 4294967296;

/**
 * 64-bit signed integers in Kafka's big-endian layout, as JS numbers. Values outside
 * ±(2^53 - 1) cannot be represented exactly and are refused both ways. Written as two 32-bit
 * halves: exact for safe integers and much cheaper per record than going through BigInt.
 */
export const longSerde: Serde<number> = fixedWidth(
  'Serdes.Long()',
  8,
  (buffer, value) => {
    const high = Math.floor(value / TWO_TO_32);
    buffer.writeInt32BE(high, 0);
    buffer.writeUInt32BE(value - high * TWO_TO_32, 4);
  },
  (buffer, topic) => {
    const value = buffer.readInt32BE(0) * TWO_TO_32 + buffer.readUInt32BE(4);
    if (!Number.isSafeInteger(value)) {
      throw deserializationError('Serdes.Long()', topic, `${buffer.readBigInt64BE(0)} is beyond JavaScript's safe integer range`);
    }
    return value;
  },
  (value) => (Number.isSafeInteger(value) ? undefined : `${value} is not a safe integer (a long must be a whole number within ±(2^53 - 1))`),
);

/** 32-bit signed integers in Kafka's big-endian layout. */
export const integerSerde: Serde<number> = fixedWidth(
  'Serdes.Integer()',
  4,
  (buffer, value) => buffer.writeInt32BE(value, 0),
  (buffer) => buffer.readInt32BE(0),
  (value) => (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? undefined : `${value} is not a 32-bit integer`),
);

/** IEEE 754 doubles in Kafka's big-endian layout. */
export const doubleSerde: Serde<number> = fixedWidth(
  'Serdes.Double()',
  8,
  (buffer, value) => buffer.writeDoubleBE(value, 0),
  (buffer) => buffer.readDoubleBE(0),
  () => undefined,
);

/** Raw bytes, passed through unchanged (Kafka's Bytes and byte[] serdes). */
export const bytesSerde: Serde<Buffer> = {
  serialize(topic, data) {
    if (data === null) return null;
    if (!Buffer.isBuffer(data)) throw serializationError('Serdes.Bytes()', topic, 'expected a Buffer');
    return data;
  },
  deserialize(_topic, data) {
    return data;
  },
};

/** Only null, as Kafka's VoidSerde: for keys or values that are always absent. */
export const voidSerde: Serde<null> = {
  serialize(topic, data) {
    if (data !== null) throw serializationError('Serdes.Void()', topic, 'a Void serde only accepts null');
    return null;
  },
  deserialize(topic, data) {
    if (data !== null) throw deserializationError('Serdes.Void()', topic, `expected no data (null), got ${data.length} bytes`);
    return null;
  },
};
