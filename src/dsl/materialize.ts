import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import { Stores } from '../state/index.ts';
import type { KeyValueBytesStoreSupplier, StoreBuilder, TimestampedKeyValueStoreBuilder } from '../state/index.ts';

/**
 * What a `Materialized` says about the key-value store behind a KTable. Every field is optional:
 * what is left out is generated (the store name), inherited from upstream (serdes), or takes the
 * DSL default (caching and logging on).
 */
export interface KeyValueMaterialization<K, V> {
  readonly storeName?: string | undefined;
  readonly storeSupplier?: KeyValueBytesStoreSupplier | undefined;
  readonly keySerde?: Serde<K> | undefined;
  readonly valueSerde?: Serde<V> | undefined;
  readonly cachingEnabled?: boolean | undefined;
  readonly loggingEnabled?: boolean | undefined;
  /** Extra changelog topic configs, as Kafka's `Materialized.withLoggingEnabled(config)`. */
  readonly logConfig?: Readonly<{ [key: string]: string }> | undefined;
  /** How long a window or session store keeps data (`Materialized.withRetention`). */
  readonly retentionMs?: number | undefined;
}

/** Where the store's name and serdes come from when the `Materialized` does not say. */
export interface MaterializeDefaults<K, V> {
  /** Makes the next shared-counter store name, e.g. `KSTREAM-AGGREGATE-STATE-STORE-0000000003`. */
  readonly newStoreName: () => string;
  /** Serdes inherited from upstream (Grouped, or the operation's own type, as `count`'s Long). */
  readonly keySerde?: Serde<K> | undefined;
  readonly valueSerde?: Serde<V> | undefined;
}

/** The store a DSL operation materializes into, resolved: key-value, window or session. */
export interface ResolvedStore<K, V> {
  readonly storeName: string;
  /** True when the user named the store (or gave a supplier), so it is queryable by that name. */
  readonly named: boolean;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
  readonly builder: StoreBuilder;
}

/** The key-value store behind a KTable, resolved. */
export interface MaterializedStore<K, V> extends ResolvedStore<K, V> {
  readonly builder: TimestampedKeyValueStoreBuilder<K, V>;
}

/** Turns a `Materialized` and defaults into a resolved store; one per kind of store. */
export type Materializer<K, V> = (materialized: KeyValueMaterialization<K, V> | undefined, defaults: MaterializeDefaults<K, V>) => ResolvedStore<K, V>;

/**
 * Turns a `Materialized` and the operation's defaults into the store builder of a KTable, as Kafka's
 * MaterializedInternal + KeyValueStoreMaterializer do: the store name is the given one, the
 * supplier's, or a generated one; serdes come from the `Materialized`, else from upstream, else
 * stay undefined so `default.key.serde` / `default.value.serde` apply at run time; caching and
 * logging are on unless switched off. Without a supplier the bytes store is the one `default.dsl.store`
 * picks when the task starts (LevelDB by default, or in memory).
 *
 * @example
 * const store = materialize(Materialized.as('counts'), { newStoreName: () => builder.newStoreName('KSTREAM-AGGREGATE'), valueSerde: Serdes.Long() });
 * topology.addStateStore(store.builder, processorName);
 */
export function materialize<K, V>(
  materialized: KeyValueMaterialization<K, V> | undefined,
  defaults: MaterializeDefaults<K, V>,
): MaterializedStore<K, V> {
  const supplier = materialized?.storeSupplier;
  const { storeName, named } = resolveStoreName(materialized, defaults.newStoreName);
  const keySerde = materialized?.keySerde ?? defaults.keySerde;
  const valueSerde = materialized?.valueSerde ?? defaults.valueSerde;
  const builder = Stores.timestampedKeyValueStoreBuilder(supplier ?? Stores.dslDefaultKeyValueStore(storeName), keySerde, valueSerde);
  applySwitches(builder, materialized);
  return { storeName, named, keySerde, valueSerde, builder };
}

/** The store name a `Materialized` gives (directly or through its supplier), or a generated one. */
export function resolveStoreName(materialized: KeyValueMaterialization<unknown, unknown> | undefined, newStoreName: () => string): { storeName: string; named: boolean } {
  const supplier = materialized?.storeSupplier;
  const givenName = materialized?.storeName;
  if (supplier !== undefined && givenName !== undefined && supplier.name !== givenName) {
    throw new StreamsError(
      'INVALID_ARGUMENT',
      `Materialized names store "${givenName}" but its store supplier makes "${supplier.name}"; give the name in one place only`,
    );
  }
  const storeName = supplier?.name ?? givenName;
  return storeName === undefined ? { storeName: newStoreName(), named: false } : { storeName, named: true };
}

/** DSL stores cache and log unless the `Materialized` switches that off. */
export function applySwitches(builder: StoreBuilder, materialized: KeyValueMaterialization<unknown, unknown> | undefined): void {
  if (materialized?.cachingEnabled === false) builder.withCachingDisabled();
  else builder.withCachingEnabled();
  if (materialized?.loggingEnabled === false) builder.withLoggingDisabled();
  else builder.withLoggingEnabled({ ...materialized?.logConfig });
}
