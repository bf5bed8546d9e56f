import type { Serde } from './serde.ts';
import { deserializationError, serializationError } from './serde-errors.ts';
import { windowed, type Windowed } from './windowed.ts';
import { longSerde } from './primitive-serdes.ts';

const TIMESTAMP_BYTES = 8;

function writeTimestamp(buffer: Buffer, position: number, timestamp: number): void {
  const bytes = longSerde.serialize('', timestamp)!;
  bytes.copy(buffer, position);
}

function readTimestamp(buffer: Buffer, position: number, topic: string): number {
  return longSerde.deserialize(topic, buffer.subarray(position, position + TIMESTAMP_BYTES))!;
}

/**
 * Time-windowed keys in Kafka's layout: the inner key's bytes, then the window start as an 8-byte
 * big-endian long. The end is not stored; it is `start + windowSize` on the way back.
 */
function timeWindowedSerdeFrom<K>(inner: Serde<K>, windowSize: number): Serde<Windowed<K>> {
  if (!Number.isSafeInteger(windowSize) || windowSize <= 0) {
    throw serializationError('WindowedSerdes.timeWindowedSerdeFrom()', '(configuration)', `the window size must be a positive whole number of ms, got ${windowSize}`);
  }
  return {
    serialize(topic, data) {
      if (data === null) return null;
      const key = inner.serialize(topic, data.key);
      if (key === null) throw serializationError('WindowedSerdes.timeWindowedSerdeFrom()', topic, 'the inner key serialized to null');
      const out = Buffer.allocUnsafe(key.length + TIMESTAMP_BYTES);
      key.copy(out, 0);
      writeTimestamp(out, key.length, data.window.start);
      return out;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      if (data.length < TIMESTAMP_BYTES) {
        throw deserializationError('WindowedSerdes.timeWindowedSerdeFrom()', topic, `a time-windowed key needs at least ${TIMESTAMP_BYTES} bytes, got ${data.length}`);
      }
      const keyLength = data.length - TIMESTAMP_BYTES;
      const start = readTimestamp(data, keyLength, topic);
      return windowed(inner.deserialize(topic, data.subarray(0, keyLength)) as K, start, start + windowSize);
    },
  };
}

/**
 * Session-windowed keys in Kafka's layout: the inner key's bytes, then the session end and the
 * session start, each an 8-byte big-endian long.
 */
function sessionWindowedSerdeFrom<K>(inner: Serde<K>): Serde<Windowed<K>> {
  return {
    serialize(topic, data) {
      if (data === null) return null;
      const key = inner.serialize(topic, data.key);
      if (key === null) throw serializationError('WindowedSerdes.sessionWindowedSerdeFrom()', topic, 'the inner key serialized to null');
      const out = Buffer.allocUnsafe(key.length + 2 * TIMESTAMP_BYTES);
      key.copy(out, 0);
      writeTimestamp(out, key.length, data.window.end);
      writeTimestamp(out, key.length + TIMESTAMP_BYTES, data.window.start);
      return out;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      if (data.length < 2 * TIMESTAMP_BYTES) {
        throw deserializationError('WindowedSerdes.sessionWindowedSerdeFrom()', topic, `a session-windowed key needs at least ${2 * TIMESTAMP_BYTES} bytes, got ${data.length}`);
      }
      const keyLength = data.length - 2 * TIMESTAMP_BYTES;
      const end = readTimestamp(data, keyLength, topic);
      const start = readTimestamp(data, keyLength + TIMESTAMP_BYTES, topic);
      return windowed(inner.deserialize(topic, data.subarray(0, keyLength)) as K, start, end);
    },
  };
}

/**
 * Serdes for windowed keys, as Kafka's `WindowedSerdes`, for reading the output of windowed
 * aggregations.
 *
 * @example
 * driver.createOutputTopic('counts', WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 60_000), Serdes.Long());
 */
export const WindowedSerdes = { timeWindowedSerdeFrom, sessionWindowedSerdeFrom } as const;
