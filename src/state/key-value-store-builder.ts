import type { Serde } from '../serde/index.ts';
import type {
  CachedStateStore, KeyValueBytesStore, KeyValueBytesStoreSupplier, KeyValueStore, StateStore, StoreBuilder,
  TimestampedKeyValueStore, ValueAndTimestamp,
} from './api.ts';
import { CachingKeyValueStore } from './caching-key-value-store.ts';
import { ChangeLoggingKeyValueBytesStore } from './change-logging-key-value-store.ts';
import { MeteredKeyValueStore } from './metered-key-value-store.ts';
import type { KeyValueStoreLayers } from './metered-key-value-store.ts';
import { MeteredTimestampedKeyValueStore } from './metered-timestamped-key-value-store.ts';

/**
 * What every store builder shares: the logging and caching switches (Kafka's defaults: logging on,
 * caching off; the DSL turns caching on). Switches change this builder and return it, as in Kafka.
 */
abstract class LayeredStoreBuilder<S extends StateStore> implements StoreBuilder<S> {
  loggingEnabled = true;
  cachingEnabled = false;
  logConfig: Readonly<{ [key: string]: string }> = {};

  constructor(protected readonly supplier: KeyValueBytesStoreSupplier) {}

  get name(): string {
    return this.supplier.name;
  }

  withCachingEnabled(): this {
    this.cachingEnabled = true;
    return this;
  }

  withCachingDisabled(): this {
    this.cachingEnabled = false;
    return this;
  }

  withLoggingEnabled(config: { [key: string]: string } = {}): this {
    this.loggingEnabled = true;
    this.logConfig = { ...config };
    return this;
  }

  withLoggingDisabled(): this {
    this.loggingEnabled = false;
    this.logConfig = {};
    return this;
  }

  abstract build(): S;

  /** A fresh bytes stack: bytes store, then change-logging and caching when switched on. */
  protected buildLayers(timestampedValues: boolean): KeyValueStoreLayers {
    const bytes = this.supplier.get();
    let top: KeyValueBytesStore = bytes;
    if (this.loggingEnabled) top = new ChangeLoggingKeyValueBytesStore(top, timestampedValues);
    const caching = this.cachingEnabled ? new CachingKeyValueStore(top) : undefined;
    return { top: caching ?? top, bytes, caching };
  }
}

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
