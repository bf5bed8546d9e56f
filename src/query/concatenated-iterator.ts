import type { KeyValue, KeyValueIterator } from '../state/index.ts';

/**
 * One iterator over several stores, each store's entries in its own order, one store after the
 * other (Kafka's CompositeKeyValueIterator): entries are not merged into one key order across
 * stores. Each store's iterator is opened only when the previous one is exhausted.
 */
export function concatenatedIterator<S, K, V>(stores: readonly S[], open: (store: S) => KeyValueIterator<K, V>): KeyValueIterator<K, V> {
  let index = 0;
  let current: KeyValueIterator<K, V> | undefined;
  let closed = false;
  const iterator: KeyValueIterator<K, V> = {
    next(): IteratorResult<KeyValue<K, V>> {
      while (!closed) {
        if (current === undefined) {
          if (index >= stores.length) break;
          current = open(stores[index++]!);
        }
        const result = current.next();
        if (result.done !== true) return result;
        current.close();
        current = undefined;
      }
      closed = true;
      return { done: true, value: undefined };
    },
    close(): void {
      closed = true;
      current?.close();
      current = undefined;
    },
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** An iterator over nothing. */
export function emptyIterator<K, V>(): KeyValueIterator<K, V> {
  return concatenatedIterator<never, K, V>([], () => { throw new Error('unreachable'); });
}

/**
 * The first store's iterator that has an entry (Kafka's single-key window and session fetches:
 * one key lives in one task), or an empty iterator.
 */
export function firstNonEmptyIterator<S, K, V>(stores: readonly S[], open: (store: S) => KeyValueIterator<K, V>): KeyValueIterator<K, V> {
  for (const store of stores) {
    const candidate = open(store);
    const first = candidate.next();
    if (first.done === true) {
      candidate.close();
      continue;
    }
    return withFirst(first.value, candidate);
  }
  return emptyIterator();
}

function withFirst<K, V>(first: KeyValue<K, V>, rest: KeyValueIterator<K, V>): KeyValueIterator<K, V> {
  let pending: KeyValue<K, V> | undefined = first;
  const iterator: KeyValueIterator<K, V> = {
    next(): IteratorResult<KeyValue<K, V>> {
      if (pending === undefined) return rest.next();
      const value = pending;
      pending = undefined;
      return { done: false, value };
    },
    close(): void {
      pending = undefined;
      rest.close();
    },
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}
