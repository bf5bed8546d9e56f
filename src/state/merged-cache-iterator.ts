import type { CachedKeyValue, KeyValue, KeyValueIterator } from './api.ts';
import { keyValueIterator } from './key-value-iterators.ts';

/**
 * Merges a snapshot of cached entries with the store below into one iterator in key order (or
 * reverse order): a cached entry hides the store's entry for the same key, and a cached delete
 * (null value) hides the key altogether, so a scan sees exactly what point reads would.
 * Both inputs must already be in the requested order.
 */
export function mergedCacheIterator(
  cached: ReadonlyArray<CachedKeyValue>,
  stored: KeyValueIterator<Buffer, Buffer>,
  reverse: boolean,
): KeyValueIterator<Buffer, Buffer> {
  const direction = reverse ? -1 : 1;
  function* merge(): Generator<KeyValue<Buffer, Buffer>> {
    let c = 0;
    let next = stored.next();
    try {
      while (c < cached.length || next.done !== true) {
        const fromCache = cached[c];
        const order = fromCache === undefined ? 1 : next.done === true ? -1 : direction * Buffer.compare(fromCache.key, next.value.key);
        if (order <= 0) {
          c++;
          if (order === 0) next = stored.next();
          const value = fromCache!.entry.value;
          if (value !== null) yield { key: fromCache!.key, value };
        } else {
          // `order > 0` means the store's entry comes first, so `next` is not done here.
          const entry = (next as IteratorYieldResult<KeyValue<Buffer, Buffer>>).value;
          next = stored.next();
          yield entry;
        }
      }
    } finally {
      stored.close();
    }
  }
  return keyValueIterator(merge());
}
