import type { Windowed } from '../serde/index.ts';
import type { KeyValueIterator, ReadOnlyWindowStore, WindowStoreIterator } from '../state/index.ts';
import { concatenatedIterator, firstNonEmptyIterator } from './concatenated-iterator.ts';

/**
 * A read-only window store over the local tasks' stores of one name (Kafka's
 * CompositeReadOnlyWindowStore): single-key reads return the first task's answer that has data
 * (a key lives in one task); key-range and all-keys reads return each task's windows in its own
 * order, one task after another. Stores are looked up on every call (see
 * CompositeReadOnlyKeyValueStore).
 *
 * @example
 * const view = new CompositeReadOnlyWindowStore(() => [storeOfTask0, storeOfTask1]);
 * for (const { key: start, value } of view.fetch('alice', 0, Date.now())) console.log(start, value);
 */
export class CompositeReadOnlyWindowStore<K, V> implements ReadOnlyWindowStore<K, V> {
  constructor(private readonly stores: () => ReadonlyArray<ReadOnlyWindowStore<K, V>>) {}

  fetch(key: K, time: number): V | null;
  fetch(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  fetch(a: K | null, b: unknown, c?: number, d?: number): V | null | WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    const stores = this.stores();
    if (d !== undefined) return concatenatedIterator(stores, (store) => store.fetch(a, b as K | null, c!, d));
    if (c !== undefined) return firstNonEmptyIterator(stores, (store) => store.fetch(a as K, b as number, c));
    for (const store of stores) {
      const value = store.fetch(a as K, b as number);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  backwardFetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(a: K | null, b: unknown, c: number, d?: number): WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    const stores = this.stores();
    if (d !== undefined) return concatenatedIterator(stores, (store) => store.backwardFetch(a, b as K | null, c, d));
    return firstNonEmptyIterator(stores, (store) => store.backwardFetch(a as K, b as number, c));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return concatenatedIterator(this.stores(), (store) => store.fetchAll(timeFrom, timeTo));
  }

  backwardFetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return concatenatedIterator(this.stores(), (store) => store.backwardFetchAll(timeFrom, timeTo));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return concatenatedIterator(this.stores(), (store) => store.all());
  }

  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return concatenatedIterator(this.stores(), (store) => store.backwardAll());
  }
}
