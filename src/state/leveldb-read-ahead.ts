import type { LevelDbAccess } from './leveldb-access.ts';
import { DATA_END, DATA_PREFIX } from './leveldb-key-layout.ts';
import type { PrefetchedRanges } from './prefetched-ranges.ts';
import type { ReadCache } from './read-cache.ts';
import { fromSortKey, prefixUpperBound, toSortKey } from './sort-key.ts';
import type { WriteBackBuffer } from './write-back-buffer.ts';

/**
 * How a LevelDB store with its keys on disk reads ahead, once per batch of input records, what the
 * batch's record keys will read (see `LevelDbKeyValueStore.prefetch`): the exact keys, or every
 * entry under each key prefix.
 */

/** Key-prefix ranges of a read-ahead asked of the database in one request. */
const RANGES_PER_READ = 256;

/**
 * Reads the values of the `wanted` sort keys that neither the buffered writes nor the read cache
 * answer, with one `getMany`, into the read cache (absences included).
 */
export async function readAheadKeys(db: LevelDbAccess, wanted: ReadonlySet<string>, pending: WriteBackBuffer, readCache: ReadCache): Promise<void> {
  const missing = [...wanted].filter((sortKey) => pending.get(sortKey) === undefined && readCache.get(sortKey) === undefined);
  if (missing.length === 0) return;
  const values = await db.getMany(missing.map((sortKey) => fromSortKey(DATA_PREFIX + sortKey)));
  missing.forEach((sortKey, i) => readCache.set(sortKey, values[i] ?? null));
}

/** Reads every entry under each `wanted` sort-key prefix not cached yet into the prefetched ranges. */
export async function readAheadPrefixes(db: LevelDbAccess, wanted: ReadonlySet<string>, prefetched: PrefetchedRanges): Promise<void> {
  const missing = [...wanted].filter((prefix) => !prefetched.touch(prefix));
  for (let i = 0; i < missing.length; i += RANGES_PER_READ) {
    const prefixes = missing.slice(i, i + RANGES_PER_READ);
    const ends = prefixes.map(prefixUpperBound);
    const read = await db.entriesOf(prefixes.map((prefix, p) => ({ gte: fromSortKey(DATA_PREFIX + prefix), lt: ends[p] === null ? DATA_END : fromSortKey(DATA_PREFIX + ends[p]) })));
    prefixes.forEach((prefix, p) => {
      // Two prefixes of one round may nest: the outer one, read later or earlier, replaces or covers the inner.
      if (prefetched.touch(prefix)) return;
      prefetched.add(prefix, ends[p]!, read[p]!.map(([key, value]) => [toSortKey(key).slice(1), value] as const));
    });
  }
}
