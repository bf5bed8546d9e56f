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

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Wraps a generator as a KeyValueIterator: `close()` ends it early (a later `next()` reports done),
 * and iterating it with `for...of` works as usual.
 */
export function keyValueIterator<K, V>(source: Iterator<KeyValue<K, V>>): KeyValueIterator<K, V> {
  let closed = false;
  const iterator: KeyValueIterator<K, V> = {
    next(): IteratorResult<KeyValue<K, V>> {
      if (closed) return DONE;
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

/** An iterator with nothing in it. */
export function emptyKeyValueIterator<K, V>(): KeyValueIterator<K, V> {
  return new FilterMapIterator<never, never, K, V>(undefined, () => undefined);
}

/** An iterator that yields `map(entry)` for each entry of `source`, closing `source` with it. */
export function mapKeyValueIterator<K1, V1, K2, V2>(
  source: KeyValueIterator<K1, V1>,
  map: (entry: KeyValue<K1, V1>) => KeyValue<K2, V2>,
): KeyValueIterator<K2, V2> {
  return new FilterMapIterator(source, map);
}

/**
 * An iterator over the entries of `source` that `map` turns into an entry (undefined: skip it),
 * closing `source` when it ends or is closed. One object per scan, where a generator costs a
 * generator object, its wrapper and a result per step: range scans stack one per store layer.
 */
export function filterMapKeyValueIterator<K1, V1, K2, V2>(
  source: KeyValueIterator<K1, V1>,
  map: (entry: KeyValue<K1, V1>) => KeyValue<K2, V2> | undefined,
): KeyValueIterator<K2, V2> {
  return new FilterMapIterator(source, map);
}

class FilterMapIterator<K1, V1, K2, V2> implements KeyValueIterator<K2, V2> {
  constructor(
    private source: KeyValueIterator<K1, V1> | undefined,
    private readonly map: (entry: KeyValue<K1, V1>) => KeyValue<K2, V2> | undefined,
  ) {}

  next(): IteratorResult<KeyValue<K2, V2>> {
    const source = this.source;
    if (source === undefined) return DONE;
    for (let step = source.next(); step.done !== true; step = source.next()) {
      const mapped = this.map(step.value);
      if (mapped !== undefined) return { done: false, value: mapped };
    }
    this.close();
    return DONE;
  }

  close(): void {
    const source = this.source;
    this.source = undefined;
    source?.close();
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * A bytes iterator that can tell the next key it holds without reading that entry's value, and
 * step over it (Kafka's `peekNextKey`, by sort key): the caching layer uses it to pass over store
 * entries its cache hides instead of reading their values. A peeked key may still turn out deleted
 * (and be skipped) when `next()` reads it.
 */
export interface PeekableBytesIterator extends KeyValueIterator<Buffer, Buffer> {
  /** The sort key (sort-key.ts) of the next entry; undefined at the end or when it cannot tell (then read with `next()`). */
  peekNextSortKey(): string | undefined;
  /** Steps over the next entry without reading it. */
  skipNext(): void;
}

/** True when `iterator` can peek and skip (the stores' own iterators and the layers that keep that). */
export function isPeekable(iterator: KeyValueIterator<Buffer, Buffer>): iterator is PeekableBytesIterator {
  return typeof (iterator as Partial<PeekableBytesIterator>).peekNextSortKey === 'function';
}

/** What a key list's iterator needs from its store: the current value of a sort key, null when gone. */
export type SortKeyReader = (sortKey: string) => Buffer | null;

/**
 * Walks a snapshot of sort keys (already in the wanted order), reading each value when reached and
 * passing over keys whose value is gone by then.
 */
export class SnapshotIterator implements PeekableBytesIterator {
  private index = 0;

  constructor(
    private readonly sortKeys: readonly string[],
    private readonly read: SortKeyReader,
    private readonly toKey: (sortKey: string) => Buffer,
  ) {}

  next(): IteratorResult<KeyValue<Buffer, Buffer>> {
    const keys = this.sortKeys;
    while (this.index < keys.length) {
      const sortKey = keys[this.index++]!;
      const value = this.read(sortKey);
      if (value !== null) return { done: false, value: { key: this.toKey(sortKey), value } };
    }
    return DONE;
  }

  peekNextSortKey(): string | undefined {
    return this.sortKeys[this.index];
  }

  skipNext(): void {
    if (this.index < this.sortKeys.length) this.index++;
  }

  close(): void {
    this.index = this.sortKeys.length;
  }

  [Symbol.iterator](): this {
    return this;
  }
}
