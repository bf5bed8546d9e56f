import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValueBytesStoreSupplier } from './api.ts';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
import { LevelDbKeyValueStore } from './leveldb-key-value-store.ts';
import { DslDefaultKeyValueStore } from './dsl-default-key-value-store.ts';
import { KeyValueStoreBuilder, TimestampedKeyValueStoreBuilder } from './key-value-store-builder.ts';

/**
 * Factory for store suppliers and builders, with Kafka Streams' names. A supplier makes the
 * innermost bytes store (its `kind` says which engine); a builder stacks serdes, caching and
 * change-logging on top. Builders default to logging on and caching off, as Kafka's do.
 *
 * @example
 * const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), Serdes.String(), Serdes.Long())
 *   .withCachingEnabled();
 */
export const Stores = {
  /** A supplier of in-memory key-value bytes stores named `name`. */
  inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    assertStoreName(name, 'inMemoryKeyValueStore');
    return { name, kind: 'in-memory', get: () => new InMemoryKeyValueStore(name) };
  },

  /**
   * A supplier of persistent key-value bytes stores on LevelDB, kept under the task's state
   * directory (`state.dir`), so local state survives a restart.
   */
  persistentKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    assertStoreName(name, 'persistentKeyValueStore');
    return { name, kind: 'leveldb', get: () => new LevelDbKeyValueStore(name) };
  },

  /**
   * The supplier a DSL operation uses when `Materialized` gives none: LevelDB or in memory, as the
   * `default.dsl.store` config says when the task starts (default `leveldb`).
   */
  dslDefaultKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    assertStoreName(name, 'dslDefaultKeyValueStore');
    return { name, kind: 'dsl-default', get: () => new DslDefaultKeyValueStore(name) };
  },

  /** A builder of `KeyValueStore<K, V>`; serdes left out come from `default.key.serde` / `default.value.serde`. */
  keyValueStoreBuilder<K, V>(supplier: KeyValueBytesStoreSupplier, keySerde?: Serde<K>, valueSerde?: Serde<V>): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(supplier, keySerde, valueSerde);
  },

  /** A builder of `TimestampedKeyValueStore<K, V>` (values with the timestamp of their last write). */
  timestampedKeyValueStoreBuilder<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde?: Serde<K>,
    valueSerde?: Serde<V>,
  ): TimestampedKeyValueStoreBuilder<K, V> {
    return new TimestampedKeyValueStoreBuilder(supplier, keySerde, valueSerde);
  },
} as const;

function assertStoreName(name: unknown, factory: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new StreamsError('INVALID_ARGUMENT', `Stores.${factory} needs a non-empty store name, got ${JSON.stringify(name)}`);
  }
}
