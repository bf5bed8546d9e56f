import { fixedWidthCodecOf } from '../serde/index.ts';
import type { FixedWidthCodec, Serde } from '../serde/index.ts';
import type { ValueAndTimestamp } from './api.ts';
import { rawValueOf, TIMESTAMP_BYTES, timestampOf, withTimestamp, writeTimestamp } from './timestamped-bytes.ts';

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
  /** Set for Long, Integer and Double values: written and read in place, no Buffer of their own. */
  private readonly fixedWidth: FixedWidthCodec | undefined;

  constructor(readonly valueSerde: Serde<V>) {
    this.fixedWidth = fixedWidthCodecOf(valueSerde as Serde<unknown>);
  }

  serialize(topic: string, data: ValueAndTimestamp<V> | null): Buffer | null {
    if (data === null) return null;
    const fixedWidth = this.fixedWidth;
    if (fixedWidth !== undefined) {
      if (data.value === null) return null;
      const out = Buffer.allocUnsafe(TIMESTAMP_BYTES + fixedWidth.width);
      fixedWidth.writeAt(topic, data.value, out, TIMESTAMP_BYTES);
      writeTimestamp(out, data.timestamp);
      return out;
    }
    const value = this.valueSerde.serialize(topic, data.value);
    return value === null ? null : withTimestamp(value, data.timestamp);
  }

  deserialize(topic: string, data: Buffer | null): ValueAndTimestamp<V> | null {
    if (data === null) return null;
    const fixedWidth = this.fixedWidth;
    // A value of another width goes the long way, where the serde reports it.
    if (fixedWidth !== undefined && data.length === TIMESTAMP_BYTES + fixedWidth.width) {
      return { value: fixedWidth.readAt(topic, data, TIMESTAMP_BYTES) as V, timestamp: timestampOf(data) };
    }
    const value = this.valueSerde.deserialize(topic, rawValueOf(data));
    return value === null ? null : { value, timestamp: timestampOf(data) };
  }
}
