import { Serdes } from '../serde/index.ts';
import type { Serde } from '../serde/index.ts';
import type { ValueAndTimestamp } from './api.ts';
import { longAfterTimestamp, longWithTimestamp, rawValueOf, TIMESTAMP_BYTES, timestampOf, withTimestamp } from './timestamped-bytes.ts';

/**
 * Builds a ValueAndTimestamp.
 *
 * @example
 * store.put('alice', valueAndTimestamp(3, record.timestamp));
 */
export function valueAndTimestamp<V>(value: V, timestamp: number): ValueAndTimestamp<V> {
  return { value, timestamp };
}

/**
 * Serializes a ValueAndTimestamp in Kafka's layout: 8-byte big-endian timestamp, then the value as
 * the inner serde writes it. A null value (or one the inner serde turns into null) is null bytes.
 *
 * @example
 * const serde = new ValueAndTimestampSerde(Serdes.Long());
 * serde.serialize('t', { value: 1, timestamp: 5 }); // <00 00 00 00 00 00 00 05 00 .. 01>
 */
export class ValueAndTimestampSerde<V> implements Serde<ValueAndTimestamp<V>> {
  /** `Serdes.Long()` values (every count) are written and read in place, in one Buffer. */
  private readonly longValues: boolean;

  constructor(readonly valueSerde: Serde<V>) {
    this.longValues = (valueSerde as Serde<unknown>) === Serdes.Long();
  }

  serialize(topic: string, data: ValueAndTimestamp<V> | null): Buffer | null {
    if (data === null) return null;
    // What Serdes.Long() would refuse takes the general path, which throws its error.
    if (this.longValues && Number.isSafeInteger(data.value) && Number.isSafeInteger(data.timestamp)) {
      return longWithTimestamp(data.value as number, data.timestamp);
    }
    const value = this.valueSerde.serialize(topic, data.value);
    return value === null ? null : withTimestamp(value, data.timestamp);
  }

  deserialize(topic: string, data: Buffer | null): ValueAndTimestamp<V> | null {
    if (data === null) return null;
    if (this.longValues && data.length === TIMESTAMP_BYTES + 8) {
      const long = longAfterTimestamp(data);
      if (Number.isSafeInteger(long)) return { value: long as V, timestamp: timestampOf(data) };
    }
    const value = this.valueSerde.deserialize(topic, rawValueOf(data));
    return value === null ? null : { value, timestamp: timestampOf(data) };
  }
}
