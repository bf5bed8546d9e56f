import type { KeyValue, KeyValueIterator } from './api.ts';

/**
 * Builds a KeyValue; handy in `putAll` calls and test expectations.
 *
 * @example
 * store.putAll([keyValue('a', 1), keyValue('b', 2)]);
 */
export function keyValue<K, V>(key: K, value: V): KeyValue<K, V> {
  return { key, value };
}

/**
 * Wraps a generator as a KeyValueIterator: `close()` ends it early (a later `next()` reports done),
 * and iterating it with `for...of` works as usual.
 */
export function keyValueIterator<K, V>(source: Iterator<KeyValue<K, V>>): KeyValueIterator<K, V> {
  let closed = false;
  const iterator: KeyValueIterator<K, V> = {
    next(): IteratorResult<KeyValue<K, V>> {
      if (closed) return { done: true, value: undefined };
      const result = source.next();
      if (result.done === true) closed = true;
      return result;
    },
    close(): void {
      if (closed) return;
      closed = true;
      source.return?.();
    },
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** An iterator that yields `map(entry)` for each entry of `source`, closing `source` with it. */
export function mapKeyValueIterator<K1, V1, K2, V2>(
  source: KeyValueIterator<K1, V1>,
  map: (entry: KeyValue<K1, V1>) => KeyValue<K2, V2>,
): KeyValueIterator<K2, V2> {
  const iterator: KeyValueIterator<K2, V2> = {
    next(): IteratorResult<KeyValue<K2, V2>> {
      const result = source.next();
      return result.done === true ? { done: true, value: undefined } : { done: false, value: map(result.value) };
    },
    close(): void {
      source.close();
    },
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}
