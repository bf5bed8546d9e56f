import { toMillis } from '../common/index.ts';
import type { DurationLike } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValueBytesStoreSupplier } from '../state/index.ts';
import type { KeyValueMaterialization } from './materialize.ts';

/**
 * How a KTable's state store is made: its name (which makes it queryable, e.g. with
 * `driver.getKeyValueStore(name)`), a store supplier, serdes, and whether caching and the
 * changelog are on (both are, by default).
 *
 * @example
 * grouped.count(Materialized.as('counts-store'));
 * grouped.aggregate(() => 0, add, Materialized.with(Serdes.String(), Serdes.Long()).withCachingDisabled());
 */
export class Materialized<K, V> implements KeyValueMaterialization<K, V> {
  private constructor(
    readonly storeName: string | undefined,
    readonly storeSupplier: KeyValueBytesStoreSupplier | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly cachingEnabled: boolean | undefined,
    readonly loggingEnabled: boolean | undefined,
    readonly logConfig: Readonly<{ [key: string]: string }> | undefined,
    readonly retentionMs: number | undefined,
  ) {}

  /** A named store, or one made by a store supplier (`Stores.inMemoryKeyValueStore(name)`). */
  static as<K, V>(nameOrSupplier: string | KeyValueBytesStoreSupplier): Materialized<K, V> {
    return typeof nameOrSupplier === 'string'
      ? new Materialized<K, V>(nameOrSupplier, undefined, undefined, undefined, undefined, undefined, undefined, undefined)
      : new Materialized<K, V>(undefined, nameOrSupplier, undefined, undefined, undefined, undefined, undefined, undefined);
  }

  /** An unnamed store with these serdes. */
  static with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): Materialized<K, V> {
    return new Materialized(undefined, undefined, keySerde, valueSerde, undefined, undefined, undefined, undefined);
  }

  withKeySerde<K2>(keySerde: Serde<K2>): Materialized<K2, V> {
    return this.copy({ keySerde }) as unknown as Materialized<K2, V>;
  }

  withValueSerde<V2>(valueSerde: Serde<V2>): Materialized<K, V2> {
    return this.copy({ valueSerde }) as unknown as Materialized<K, V2>;
  }

  /** Forwards every update at once instead of de-duplicating updates to a key until the next commit. */
  withCachingDisabled(): Materialized<K, V> {
    return this.copy({ cachingEnabled: false });
  }

  withCachingEnabled(): Materialized<K, V> {
    return this.copy({ cachingEnabled: true });
  }

  /** No changelog topic: the store starts empty after a restart. */
  withLoggingDisabled(): Materialized<K, V> {
    return this.copy({ loggingEnabled: false, logConfig: undefined });
  }

  /** A changelog topic with these extra topic configs. */
  withLoggingEnabled(config: Readonly<{ [key: string]: string }> = {}): Materialized<K, V> {
    return this.copy({ loggingEnabled: true, logConfig: config });
  }

  /**
   * How long a window or session store keeps windows (at least the window size plus grace). By
   * default just long enough, as in Kafka Streams: window size plus grace (sessions: gap plus
   * grace; sliding windows: twice the time difference plus grace).
   */
  withRetention(retention: DurationLike): Materialized<K, V> {
    return this.copy({ retentionMs: toMillis(retention, 'Materialized.withRetention') });
  }

  private copy(change: Partial<Omit<Materialized<unknown, unknown>, 'copy'>>): Materialized<K, V> {
    const next = { ...this, ...change } as Materialized<K, V>;
    return new Materialized<K, V>(
      next.storeName, next.storeSupplier, next.keySerde, next.valueSerde, next.cachingEnabled, next.loggingEnabled, next.logConfig, next.retentionMs,
    );
  }
}
