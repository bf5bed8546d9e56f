import { StreamsError } from '../common/index.ts';
import type { DurationLike } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValueBytesStoreSupplier, SessionBytesStoreSupplier, WindowBytesStoreSupplier } from './api.ts';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
import { LevelDbKeyValueStore } from './leveldb-key-value-store.ts';
import { DslDefaultKeyValueStore } from './dsl-default-key-value-store.ts';
import { KeyValueStoreBuilder, TimestampedKeyValueStoreBuilder } from './key-value-store-builder.ts';
import { SessionStoreBuilder, TimestampedWindowStoreBuilder, WindowStoreBuilder } from './window-store-builder.ts';
import { sessionBytesStoreSupplier, windowBytesStoreSupplier } from './window-store-suppliers.ts';

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

  /**
   * A supplier of persistent window bytes stores on LevelDB. `retentionPeriod` is how long windows
   * are kept after the newest window start seen (at least `windowSize`); `retainDuplicates` keeps
   * every put of one (key, window) apart, as stream-stream joins need.
   */
  persistentWindowStore(name: string, retentionPeriod: DurationLike, windowSize: DurationLike, retainDuplicates: boolean): WindowBytesStoreSupplier {
    return windowBytesStoreSupplier('leveldb', name, retentionPeriod, windowSize, retainDuplicates);
  },

  /** A supplier of in-memory window bytes stores; see `persistentWindowStore`. */
  inMemoryWindowStore(name: string, retentionPeriod: DurationLike, windowSize: DurationLike, retainDuplicates: boolean): WindowBytesStoreSupplier {
    return windowBytesStoreSupplier('in-memory', name, retentionPeriod, windowSize, retainDuplicates);
  },

  /** The window supplier a DSL operation uses when `Materialized` gives none (engine from `default.dsl.store`). */
  dslDefaultWindowStore(name: string, retentionPeriod: DurationLike, windowSize: DurationLike, retainDuplicates: boolean): WindowBytesStoreSupplier {
    return windowBytesStoreSupplier('dsl-default', name, retentionPeriod, windowSize, retainDuplicates);
  },

  /** A supplier of persistent session bytes stores on LevelDB, keeping sessions `retentionPeriod` past their end. */
  persistentSessionStore(name: string, retentionPeriod: DurationLike): SessionBytesStoreSupplier {
    return sessionBytesStoreSupplier('leveldb', name, retentionPeriod);
  },

  /** A supplier of in-memory session bytes stores. */
  inMemorySessionStore(name: string, retentionPeriod: DurationLike): SessionBytesStoreSupplier {
    return sessionBytesStoreSupplier('in-memory', name, retentionPeriod);
  },

  /** The session supplier a DSL operation uses when `Materialized` gives none. */
  dslDefaultSessionStore(name: string, retentionPeriod: DurationLike): SessionBytesStoreSupplier {
    return sessionBytesStoreSupplier('dsl-default', name, retentionPeriod);
  },

  /** A builder of `WindowStore<K, V>`. */
  windowStoreBuilder<K, V>(supplier: WindowBytesStoreSupplier, keySerde?: Serde<K>, valueSerde?: Serde<V>): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(supplier, keySerde, valueSerde);
  },

  /** A builder of `TimestampedWindowStore<K, V>` (windows keep the timestamp of their newest record). */
  timestampedWindowStoreBuilder<K, V>(supplier: WindowBytesStoreSupplier, keySerde?: Serde<K>, valueSerde?: Serde<V>): TimestampedWindowStoreBuilder<K, V> {
    return new TimestampedWindowStoreBuilder(supplier, keySerde, valueSerde);
  },

  /** A builder of `SessionStore<K, AGG>`. */
  sessionStoreBuilder<K, AGG>(supplier: SessionBytesStoreSupplier, keySerde?: Serde<K>, valueSerde?: Serde<AGG>): SessionStoreBuilder<K, AGG> {
    return new SessionStoreBuilder(supplier, keySerde, valueSerde);
  },
} as const;

function assertStoreName(name: unknown, factory: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new StreamsError('INVALID_ARGUMENT', `Stores.${factory} needs a non-empty store name, got ${JSON.stringify(name)}`);
  }
}
