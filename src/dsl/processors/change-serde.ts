import { StreamsError } from '../../common/index.ts';
import type { Serde } from '../../serde/index.ts';
import type { Change } from '../change.ts';

/** Trailing byte saying which halves of the change the bytes hold. */
const NEW_ONLY = 0;
const OLD_ONLY = 1;
const BOTH = 2;

/**
 * Serde of the changes a grouped table sends through its repartition topic, in the layout of
 * Kafka's ChangedSerializer: the serialized new value or old value followed by a flag byte (0 = new,
 * 1 = old), or, when both are present, a 4-byte big-endian length of the new value, the new value,
 * the old value and the flag 2.
 *
 * The inner serde is the grouping's value serde; when the program gave none it is taken from the
 * application's `default.value.serde` by the processors on either side of the topic at `init`,
 * which always runs before a record is serialized or deserialized.
 *
 * @example
 * const serde = new ChangeSerde(Serdes.Long());
 * serde.deserialize('t', serde.serialize('t', { newValue: 2, oldValue: 1 })); // { newValue: 2, oldValue: 1 }
 */
export class ChangeSerde<V> implements Serde<Change<V>> {
  constructor(private inner: Serde<V> | undefined) {}

  /** Uses the application's `default.value.serde` when no value serde was given. */
  useDefaultFrom(appConfigs: Readonly<{ [key: string]: unknown }>): void {
    if (this.inner !== undefined) return;
    const fallback = appConfigs['default.value.serde'];
    if (fallback === undefined) {
      throw new StreamsError(
        'INVALID_CONFIG',
        'KTable.groupBy has no value serde for its repartition topic and "default.value.serde" is not set; pass Grouped.with(keySerde, valueSerde) or set "default.value.serde"',
      );
    }
    this.inner = fallback as Serde<V>;
  }

  serialize(topic: string, change: Change<V> | null): Buffer | null {
    if (change === null) return null;
    const inner = this.innerSerde();
    const newBytes = change.newValue === null ? null : inner.serialize(topic, change.newValue);
    const oldBytes = change.oldValue === null ? null : inner.serialize(topic, change.oldValue);
    if (newBytes !== null && oldBytes !== null) {
      const out = Buffer.allocUnsafe(4 + newBytes.length + oldBytes.length + 1);
      out.writeInt32BE(newBytes.length, 0);
      newBytes.copy(out, 4);
      oldBytes.copy(out, 4 + newBytes.length);
      out[out.length - 1] = BOTH;
      return out;
    }
    const half = newBytes ?? oldBytes;
    if (half === null) {
      throw new StreamsError('SERIALIZATION_ERROR', `a change sent to topic "${topic}" has neither a new nor an old value; nothing to aggregate`);
    }
    return Buffer.concat([half, Buffer.of(newBytes === null ? OLD_ONLY : NEW_ONLY)]);
  }

  deserialize(topic: string, data: Buffer | null): Change<V> | null {
    if (data === null) return null;
    const inner = this.innerSerde();
    const flag = data[data.length - 1];
    if (flag === BOTH && data.length >= 5) {
      const newLength = data.readInt32BE(0);
      return {
        newValue: inner.deserialize(topic, data.subarray(4, 4 + newLength)),
        oldValue: inner.deserialize(topic, data.subarray(4 + newLength, data.length - 1)),
      };
    }
    const half = data.subarray(0, data.length - 1);
    if (flag === NEW_ONLY) return { newValue: inner.deserialize(topic, half), oldValue: null };
    if (flag === OLD_ONLY) return { newValue: null, oldValue: inner.deserialize(topic, half) };
    throw new StreamsError(
      'DESERIALIZATION_ERROR',
      `a record of topic "${topic}" is not a table change (flag byte ${String(flag)}); only KTable.groupBy should write to this repartition topic`,
    );
  }

  private innerSerde(): Serde<V> {
    if (this.inner === undefined) {
      throw new StreamsError('ILLEGAL_STATE', 'the table change serde was used before its processors were initialised with the application config');
    }
    return this.inner;
  }
}
