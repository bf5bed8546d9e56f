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

/**
 * A fixed-width number serde's layout, for callers that keep the value inside a larger Buffer (a
 * timestamped store value: 8-byte timestamp, then the value): they write and read it in place,
 * without an intermediate Buffer. Same checks and errors as the serde's own methods.
 */
export interface FixedWidthCodec {
  readonly width: number;
  /** Writes `data` at `offset` of `target`; throws the serde's SERIALIZATION_ERROR for a bad value. */
  writeAt(topic: string, data: unknown, target: Buffer, offset: number): void;
  /** Reads the value of `width` bytes at `offset` of `source`. */
  readAt(topic: string, source: Buffer, offset: number): number;
}

const fixedWidthCodecs = new WeakMap<Serde<unknown>, FixedWidthCodec>();

/**
 * The in-place layout of `serde` when it is one of the fixed-width number serdes (Long, Integer,
 * Double), else undefined.
 *
 * @example
 * const codec = fixedWidthCodecOf(Serdes.Long()); // { width: 8, writeAt, readAt }
 */
export function fixedWidthCodecOf(serde: Serde<unknown>): FixedWidthCodec | undefined {
  return fixedWidthCodecs.get(serde);
}

function fixedWidth(
  serdeName: string,
  width: number,
  write: (buffer: Buffer, value: number, offset: number) => void,
  read: (buffer: Buffer, topic: string, offset: number) => number,
  check: (value: number) => string | undefined,
): Serde<number> {
  const codec: FixedWidthCodec = {
    width,
    writeAt(topic, data, target, offset) {
      if (typeof data !== 'number') throw serializationError(serdeName, topic, `expected a number, got ${typeof data}`);
      const problem = check(data);
      if (problem !== undefined) throw serializationError(serdeName, topic, problem);
      write(target, data, offset);
    },
    readAt: (topic, source, offset) => read(source, topic, offset),
  };
  const serde: Serde<number> = {
    serialize(topic, data) {
      if (data === null) return null;
      const buffer = Buffer.allocUnsafe(width);
      codec.writeAt(topic, data, buffer, 0);
      return buffer;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      if (data.length !== width) {
        throw deserializationError(serdeName, topic, `expected ${width} bytes, got ${data.length}`);
      }
      return read(data, topic, 0);
    },
  };
  fixedWidthCodecs.set(serde as Serde<unknown>, codec);
  return serde;
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
  (buffer, value, offset) => {
    const high = Math.floor(value / TWO_TO_32);
    buffer.writeInt32BE(high, offset);
    buffer.writeUInt32BE(value - high * TWO_TO_32, offset + 4);
  },
  (buffer, topic, offset) => {
    const value = buffer.readInt32BE(offset) * TWO_TO_32 + buffer.readUInt32BE(offset + 4);
    if (!Number.isSafeInteger(value)) {
      throw deserializationError('Serdes.Long()', topic, `${buffer.readBigInt64BE(offset)} is beyond JavaScript's safe integer range`);
    }
    return value;
  },
  (value) => (Number.isSafeInteger(value) ? undefined : `${value} is not a safe integer (a long must be a whole number within ±(2^53 - 1))`),
);

/** 32-bit signed integers in Kafka's big-endian layout. */
export const integerSerde: Serde<number> = fixedWidth(
  'Serdes.Integer()',
  4,
  (buffer, value, offset) => buffer.writeInt32BE(value, offset),
  (buffer, _topic, offset) => buffer.readInt32BE(offset),
  (value) => (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? undefined : `${value} is not a 32-bit integer`),
);

/** IEEE 754 doubles in Kafka's big-endian layout. */
export const doubleSerde: Serde<number> = fixedWidth(
  'Serdes.Double()',
  8,
  (buffer, value, offset) => buffer.writeDoubleBE(value, offset),
  (buffer, _topic, offset) => buffer.readDoubleBE(offset),
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
