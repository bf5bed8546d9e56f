import type { Serde } from '../serde/index.ts';
import type { KeyValueIterator, ReadOnlyKeyValueStore } from '../state/index.ts';
import { concatenatedIterator } from './concatenated-iterator.ts';

/**
 * A read-only key-value store over the local tasks' stores of one name (Kafka's
 * CompositeReadOnlyKeyValueStore). The stores are looked up again on every call, so the view
 * follows tasks as they move, and a call made while they cannot be read throws
 * `INVALID_STATE_STORE` (retry later).
 *
 * As in Kafka Streams: `get` asks the tasks in order and returns the first value found (a key
 * lives in one task); `range`, `all` and `prefixScan` return each task's entries in key order,
 * one task after another — not one global key order; `approximateNumEntries` is the sum.
 *
 * @example
 * const view = new CompositeReadOnlyKeyValueStore(() => [storeOfTask0, storeOfTask1]);
 * for (const { key, value } of view.all()) console.log(key, value);
 */
export class CompositeReadOnlyKeyValueStore<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(private readonly stores: () => ReadonlyArray<ReadOnlyKeyValueStore<K, V>>) {}

  get(key: K): V | null {
    for (const store of this.stores()) {
      const value = store.get(key);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }

  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return concatenatedIterator(this.stores(), (store) => store.range(from, to));
  }

  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return concatenatedIterator(this.stores(), (store) => store.reverseRange(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return concatenatedIterator(this.stores(), (store) => store.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return concatenatedIterator(this.stores(), (store) => store.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V> {
    return concatenatedIterator(this.stores(), (store) => store.prefixScan(prefix, prefixKeySerde));
  }

  /** The sum over the tasks, capped at Number.MAX_SAFE_INTEGER (Kafka caps at Long.MAX_VALUE). */
  approximateNumEntries(): number {
    return Math.min(Number.MAX_SAFE_INTEGER, this.stores().reduce((sum, store) => sum + store.approximateNumEntries(), 0));
  }
}
