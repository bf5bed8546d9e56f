import type { Serde } from '../serde/index.ts';
import type { ChangelogRecord, KeyValue, StateStore, TimestampedKeyValueStore, ValueAndTimestamp } from './api.ts';
import { MeteredKeyValueStore } from './metered-key-value-store.ts';
import type { KeyValueStoreLayers } from './metered-key-value-store.ts';
import { withTimestamp } from './timestamped-bytes.ts';
import { ValueAndTimestampSerde } from './value-and-timestamp-serde.ts';

/**
 * Kafka's timestamped key-value store, the store behind DSL KTables: values are kept with the
 * timestamp of the record that wrote them, in Kafka's layout (8-byte big-endian timestamp, then the
 * value). Its changelog carries the plain value with that timestamp as the record timestamp, so
 * restoring rebuilds the prefix from each changelog record's timestamp.
 *
 * @example
 * const table = Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('totals'), stringSerde, longSerde).build();
 * table.put('alice', { value: 3, timestamp: record.timestamp });
 */
export class MeteredTimestampedKeyValueStore<K, V> extends MeteredKeyValueStore<K, ValueAndTimestamp<V>> {
  constructor(layers: KeyValueStoreLayers, keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined) {
    super(layers, keySerde, valueSerde);
  }

  protected override storeValueSerde(resolved: Serde<unknown>): Serde<ValueAndTimestamp<V>> {
    return new ValueAndTimestampSerde(resolved as Serde<V>);
  }

  protected override restoredEntries(records: ReadonlyArray<ChangelogRecord>): ReadonlyArray<KeyValue<Buffer, Buffer | null>> {
    return records.map((record) => ({ key: record.key, value: record.value === null ? null : withTimestamp(record.value, record.timestamp) }));
  }
}

/**
 * True when `store` keeps ValueAndTimestamp values (built by `Stores.timestampedKeyValueStoreBuilder`
 * or by the DSL for a KTable); the test driver then shows plain values through
 * {@link TimestampedKeyValueStoreFacade}.
 *
 * @example
 * const view = isTimestampedKeyValueStore(store) ? new TimestampedKeyValueStoreFacade(store) : store;
 */
export function isTimestampedKeyValueStore(store: StateStore): store is TimestampedKeyValueStore<unknown, unknown> {
  return store instanceof MeteredTimestampedKeyValueStore;
}
