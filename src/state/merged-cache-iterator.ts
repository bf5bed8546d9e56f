import type { CachedKeyValue, KeyValue, KeyValueIterator } from './api.ts';
import { isPeekable } from './key-value-iterators.ts';
import type { PeekableBytesIterator } from './key-value-iterators.ts';
import { toSortKey } from './sort-key.ts';

/**
 * Merges a snapshot of cached entries with the store below into one iterator in key order (or
 * reverse order): a cached entry hides the store's entry for the same key, and a cached delete
 * (null value) hides the key altogether, so a scan sees exactly what point reads would.
 * Both inputs must already be in the requested order.
 *
 * When the store's iterator can peek (`PeekableBytesIterator`), entries the cache hides are
 * stepped over without reading their values, and the store is read only when its next key comes
 * before the cache's: a window or session fetch whose entries all sit in the cache reads nothing below.
 */
export function mergedCacheIterator(
  cached: ReadonlyArray<CachedKeyValue>,
  stored: KeyValueIterator<Buffer, Buffer>,
  reverse: boolean,
): KeyValueIterator<Buffer, Buffer> {
  return new MergedCacheIterator(cached, stored, reverse ? -1 : 1);
}

class MergedCacheIterator implements KeyValueIterator<Buffer, Buffer> {
  private c = 0;
  /** The store's entry read ahead and not yet returned. */
  private pending: KeyValue<Buffer, Buffer> | undefined;
  private storeDone = false;
  /** The store's iterator when it can peek. */
  private readonly peeking: PeekableBytesIterator | undefined;

  constructor(
    private readonly cached: ReadonlyArray<CachedKeyValue>,
    private readonly stored: KeyValueIterator<Buffer, Buffer>,
    private readonly direction: 1 | -1,
  ) {
    this.peeking = isPeekable(stored) ? stored : undefined;
  }

  next(): IteratorResult<KeyValue<Buffer, Buffer>> {
    const cached = this.cached;
    while (this.c < cached.length) {
      const fromCache = cached[this.c]!;
      if (this.pending === undefined && !this.storeDone && this.storeIsAfter(fromCache)) {
        this.c++;
        if (fromCache.entry.value !== null) return { done: false, value: { key: fromCache.key, value: fromCache.entry.value } };
        continue;
      }
      const fromStore = this.pending ?? this.readStore();
      const order = fromStore === undefined ? -1 : this.direction * Buffer.compare(fromCache.key, fromStore.key);
      if (order > 0) {
        this.pending = undefined;
        return { done: false, value: fromStore! };
      }
      this.c++;
      this.pending = order === 0 ? undefined : fromStore;
      if (fromCache.entry.value !== null) return { done: false, value: { key: fromCache.key, value: fromCache.entry.value } };
    }
    const rest = this.pending ?? this.readStore();
    if (rest === undefined) return { done: true, value: undefined };
    this.pending = undefined;
    return { done: false, value: rest };
  }

  close(): void {
    this.c = this.cached.length;
    this.pending = undefined;
    this.storeDone = true;
    this.stored.close();
  }

  [Symbol.iterator](): this {
    return this;
  }

  /**
   * Whether the store's next key (peeked, not read) comes after the cached entry's, stepping over
   * a store key equal to it: either way the cached entry is next, and the store is not read.
   */
  private storeIsAfter(fromCache: CachedKeyValue): boolean {
    const stored = this.peeking;
    const next = stored?.peekNextSortKey();
    if (next === undefined) return false;
    const cacheKey = fromCache.sortKey ?? toSortKey(fromCache.key);
    if (next === cacheKey) {
      stored!.skipNext();
      return true;
    }
    return this.direction === 1 ? next > cacheKey : next < cacheKey;
  }

  private readStore(): KeyValue<Buffer, Buffer> | undefined {
    if (this.storeDone) return undefined;
    const step = this.stored.next();
    if (step.done === true) {
      this.storeDone = true;
      this.stored.close();
      return undefined;
    }
    return step.value;
  }
}
