import type { Serde } from '../serde/index.ts';
import type { CachedStateStore, KeyValueBytesStoreSupplier, KeyValueStore, TimestampedKeyValueStore, ValueAndTimestamp } from './api.ts';
import { LayeredStoreBuilder } from './layered-store-builder.ts';
import { MeteredKeyValueStore } from './metered-key-value-store.ts';
import { MeteredTimestampedKeyValueStore } from './metered-timestamped-key-value-store.ts';

/**
 * Builds `KeyValueStore<K, V>` instances (Kafka's KeyValueStoreBuilder); each `build()` makes a new
 * store, so every task gets its own.
 *
 * @example
 * const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), Serdes.String(), Serdes.Long());
 * topology.addStateStore(builder, 'dedupe');
 */
export class KeyValueStoreBuilder<K, V> extends LayeredStoreBuilder<KeyValueStore<K, V>> {
  constructor(
    supplier: KeyValueBytesStoreSupplier,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
  ) {
    super(supplier);
  }

  build(): KeyValueStore<K, V> & CachedStateStore<K, V> {
    return new MeteredKeyValueStore<K, V>(this.buildLayers(false), this.keySerde, this.valueSerde);
  }
}

/**
 * Builds `TimestampedKeyValueStore<K, V>` instances (Kafka's TimestampedKeyValueStoreBuilder): the
 * kind of store behind a DSL KTable.
 *
 * @example
 * const builder = Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('totals'), Serdes.String(), Serdes.Long());
 */
export class TimestampedKeyValueStoreBuilder<K, V> extends LayeredStoreBuilder<TimestampedKeyValueStore<K, V>> {
  constructor(
    supplier: KeyValueBytesStoreSupplier,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
  ) {
    super(supplier);
  }

  build(): TimestampedKeyValueStore<K, V> & CachedStateStore<K, ValueAndTimestamp<V>> {
    return new MeteredTimestampedKeyValueStore<K, V>(this.buildLayers(true), this.keySerde, this.valueSerde);
  }
}
