import type { Windowed } from '../serde/index.ts';
import type { KeyValueIterator, ReadOnlySessionStore } from '../state/index.ts';
import { concatenatedIterator, firstNonEmptyIterator } from './concatenated-iterator.ts';

/**
 * A read-only session store over the local tasks' stores of one name (Kafka's
 * CompositeReadOnlySessionStore): single-key reads return the first task's answer that has
 * sessions; key-range reads return each task's sessions in its own order, one task after
 * another. Stores are looked up on every call (see CompositeReadOnlyKeyValueStore).
 *
 * @example
 * const view = new CompositeReadOnlySessionStore(() => [storeOfTask0, storeOfTask1]);
 * for (const { key, value } of view.fetch('alice')) console.log(key.window, value);
 */
export class CompositeReadOnlySessionStore<K, AGG> implements ReadOnlySessionStore<K, AGG> {
  constructor(private readonly stores: () => ReadonlyArray<ReadOnlySessionStore<K, AGG>>) {}

  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): AGG | null {
    for (const store of this.stores()) {
      const value = store.fetchSession(key, sessionStartTime, sessionEndTime);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }

  findSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(a: K | null, b: unknown, c: number, d?: number): KeyValueIterator<Windowed<K>, AGG> {
    const stores = this.stores();
    if (d !== undefined) return concatenatedIterator(stores, (store) => store.findSessions(a, b as K | null, c, d));
    return firstNonEmptyIterator(stores, (store) => store.findSessions(a as K, b as number, c));
  }

  backwardFindSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(a: K | null, b: unknown, c: number, d?: number): KeyValueIterator<Windowed<K>, AGG> {
    const stores = this.stores();
    if (d !== undefined) return concatenatedIterator(stores, (store) => store.backwardFindSessions(a, b as K | null, c, d));
    return firstNonEmptyIterator(stores, (store) => store.backwardFindSessions(a as K, b as number, c));
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  fetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  fetch(a: K | null, b?: K | null): KeyValueIterator<Windowed<K>, AGG> {
    const stores = this.stores();
    if (b !== undefined) return concatenatedIterator(stores, (store) => store.fetch(a, b));
    return firstNonEmptyIterator(stores, (store) => store.fetch(a as K));
  }

  backwardFetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(a: K | null, b?: K | null): KeyValueIterator<Windowed<K>, AGG> {
    const stores = this.stores();
    if (b !== undefined) return concatenatedIterator(stores, (store) => store.backwardFetch(a, b));
    return firstNonEmptyIterator(stores, (store) => store.backwardFetch(a as K));
  }
}
