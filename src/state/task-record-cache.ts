import { StreamsError } from '../common/index.ts';
import { RecordCacheBudget } from './record-cache-budget.ts';
import type { CacheEntry, CachedKeyValue, DirtyEntryFlushListener, RecordCache } from './api.ts';
import { holdsSortKey } from './last-sort-key.ts';
import { toSortKey } from './sort-key.ts';
import { SortedKeyList } from './sorted-key-list.ts';

/**
 * Bytes Kafka counts for an entry besides its key and value: the LRU node's three references (24),
 * the dirty flag (1) and the record context's timestamp, offset and partition (8 + 8 + 4). Kafka
 * also counts the topic name and headers of the record context; entries here keep neither.
 */
export const CACHE_ENTRY_OVERHEAD_BYTES = 45;

/** One cached key of one store, linked into that store's LRU list (head = most recently used). */
interface CacheNode {
  readonly key: Buffer;
  readonly sortKey: string;
  entry: CacheEntry;
  size: number;
  newer: CacheNode | undefined;
  older: CacheNode | undefined;
  /** Links of the store's dirty list (write order); both undefined when clean or not yet linked. */
  dirtyNewer: CacheNode | undefined;
  dirtyOlder: CacheNode | undefined;
  inDirtyList: boolean;
}

/** The part of the cache that belongs to one store (Kafka's NamedCache). */
interface StoreCache {
  readonly name: string;
  readonly nodes: Map<string, CacheNode>;
  /**
   * The keys in order, built on the store's first range scan and kept in step from then on: stores
   * that are only read and written by key (most KTable stores) never pay for ordering.
   */
  sortedKeys: SortedKeyList | undefined;
  /**
   * Dirty entries in the order of their latest write (the order a flush writes them), as a list
   * through the nodes: moving a rewritten key to the end is a few pointer writes, not a re-hash.
   */
  dirtyOldest: CacheNode | undefined;
  dirtyNewest: CacheNode | undefined;
  /**
   * The last key looked up or written, its sort key, and its node when known: an update reads a
   * key and then writes the same Buffer (with the same bytes), which then needs no second sort key
   * nor Map lookup. The node is forgotten when it leaves the cache.
   */
  lastKey: Buffer | undefined;
  lastSortKey: string;
  lastNode: CacheNode | undefined;
  newest: CacheNode | undefined;
  oldest: CacheNode | undefined;
  listener: DirtyEntryFlushListener | undefined;
  /** Reads and hits so far, and where their ratio goes after each read (when the task records it). */
  reads: number;
  hits: number;
  readonly recordHitRatio: ((hitRatio: number) => void) | undefined;
}

/**
 * The record cache of one task, shared by its caching stores (Kafka's named caches of one task in
 * its thread's ThreadCache). It holds keys, values and per-entry overhead within its budget: its
 * own `statestore.cache.max.bytes`, or a `RecordCacheBudget` shared by all tasks of a stream
 * thread. A write that takes the budget over its bound evicts the least recently used entries of
 * the store written to; evicting a dirty entry first flushes that store's dirty entries (the
 * evicted one first, then the rest in write order) through the store's listener, as Kafka does,
 * so nothing written is ever lost and downstream sees updates in order.
 *
 * @example
 * const cache = new TaskRecordCache(10 * 1024 * 1024);
 * const task = new StreamTask({ ...options, createRecordCache: () => new TaskRecordCache(threadBudget) });
 */
export class TaskRecordCache implements RecordCache {
  private readonly stores = new Map<string, StoreCache>();
  private readonly budget: RecordCacheBudget;
  /** This task's share of `budget.used`. */
  private totalBytes = 0;
  private totalEntries = 0;

  /**
   * @param budget bytes of its own, or the budget it shares with the other tasks of its thread.
   * @param hitRatioSensor gives, per store, where to record the store's hit ratio after every read
   *   (Kafka's `hit-ratio` of the record cache); undefined when nothing is recorded.
   */
  constructor(budget: number | RecordCacheBudget, private readonly hitRatioSensor?: (storeName: string) => ((hitRatio: number) => void) | undefined) {
    this.budget = typeof budget === 'number' ? new RecordCacheBudget(budget) : budget;
  }

  /** The bound of the budget this cache evicts down to. */
  get maxBytes(): number {
    return this.budget.maxBytes;
  }

  sizeBytes(): number {
    return this.totalBytes;
  }

  size(): number {
    return this.totalEntries;
  }

  setDirtyEntryFlushListener(storeName: string, listener: DirtyEntryFlushListener): void {
    this.storeCache(storeName).listener = listener;
  }

  get(storeName: string, key: Buffer): CacheEntry | undefined {
    const cache = this.stores.get(storeName);
    if (cache === undefined) return undefined;
    const node = this.lookup(cache, key);
    if (cache.recordHitRatio !== undefined) {
      cache.reads++;
      if (node !== undefined) cache.hits++;
      cache.recordHitRatio(cache.hits / cache.reads);
    }
    if (node === undefined) return undefined;
    this.markMostRecent(cache, node);
    return node.entry;
  }

  put(storeName: string, key: Buffer, entry: CacheEntry): void {
    const cache = this.storeCache(storeName);
    const node = this.lookup(cache, key);
    const sortKey = cache.lastSortKey;
    const size = key.length + (entry.value === null ? 0 : entry.value.length) + CACHE_ENTRY_OVERHEAD_BYTES;
    if (node === undefined) {
      const added: CacheNode = {
        key, sortKey, entry, size, newer: undefined, older: undefined, dirtyNewer: undefined, dirtyOlder: undefined, inDirtyList: false,
      };
      cache.nodes.set(sortKey, added);
      cache.lastNode = added;
      cache.sortedKeys?.add(sortKey);
      this.totalEntries++;
      this.grow(size);
      this.markMostRecent(cache, added);
      if (entry.dirty) this.appendDirty(cache, added);
    } else {
      if (!entry.dirty && node.entry.dirty) {
        throw new StreamsError('ILLEGAL_STATE', `record cache of store "${storeName}" was asked to replace a dirty entry with a clean one; ` +
          'flush the store before caching values read from below it');
      }
      this.grow(size - node.size);
      node.entry = entry;
      node.size = size;
      this.markMostRecent(cache, node);
      if (entry.dirty) {
        // A rewrite moves the key to the end: flushes follow the order of the latest writes.
        this.unlinkDirty(cache, node);
        this.appendDirty(cache, node);
      }
    }
    this.evictWhileOverLimit(cache);
  }

  /** The node of `key` if cached; leaves the key's sort key in `cache.lastSortKey`. */
  private lookup(cache: StoreCache, key: Buffer): CacheNode | undefined {
    // Callers may rewrite a key Buffer between calls: the same object counts only with the same bytes.
    if (key === cache.lastKey && holdsSortKey(key, cache.lastSortKey)) return cache.lastNode ?? cache.nodes.get(cache.lastSortKey);
    const sortKey = toSortKey(key);
    const node = cache.nodes.get(sortKey);
    cache.lastKey = key;
    cache.lastSortKey = sortKey;
    cache.lastNode = node;
    return node;
  }

  range(storeName: string, from: Buffer | null, to: Buffer | null, toInclusive = true): Array<CachedKeyValue> {
    const cache = this.stores.get(storeName);
    if (cache === undefined) return [];
    const keys = this.sortedKeysOf(cache).keysBetween(from === null ? null : toSortKey(from), to === null ? null : toSortKey(to), toInclusive);
    return keys.map((sortKey) => {
      const node = cache.nodes.get(sortKey)!;
      return { key: node.key, entry: node.entry, sortKey };
    });
  }

  flush(storeName: string): void {
    const cache = this.stores.get(storeName);
    if (cache !== undefined) this.flushDirty(cache, undefined);
  }

  close(storeName: string): void {
    const cache = this.stores.get(storeName);
    if (cache === undefined) return;
    for (const node of cache.nodes.values()) this.grow(-node.size);
    this.totalEntries -= cache.nodes.size;
    this.stores.delete(storeName);
  }

  private storeCache(storeName: string): StoreCache {
    let cache = this.stores.get(storeName);
    if (cache === undefined) {
      cache = {
        name: storeName, nodes: new Map(), sortedKeys: undefined, dirtyOldest: undefined, dirtyNewest: undefined,
        lastKey: undefined, lastSortKey: '', lastNode: undefined, newest: undefined, oldest: undefined, listener: undefined, reads: 0, hits: 0, recordHitRatio: this.hitRatioSensor?.(storeName),
      };
      this.stores.set(storeName, cache);
    }
    return cache;
  }

  /** Evicts from the store just written to only; a flush listener may have grown another store's share. */
  private evictWhileOverLimit(cache: StoreCache): void {
    while (this.budget.used > this.budget.maxBytes && cache.oldest !== undefined) {
      const eldest = cache.oldest;
      this.remove(cache, eldest);
      if (eldest.entry.dirty) this.flushDirty(cache, eldest);
    }
  }

  /**
   * Hands the store's dirty entries to its listener (an evicted one first) and marks them clean.
   * The dirty list is emptied before the listener runs, so writes the listener causes start afresh.
   */
  private flushDirty(cache: StoreCache, evicted: CacheNode | undefined): void {
    if (cache.dirtyOldest === undefined && evicted === undefined) return;
    if (cache.listener === undefined) {
      throw new StreamsError('ILLEGAL_STATE', `record cache of store "${cache.name}" holds dirty entries but has no flush listener; ` +
        'a caching store sets one when it is initialised');
    }
    const flushed: CachedKeyValue[] = [];
    const deletes: string[] = [];
    // An evicted node already left the dirty list when it was removed.
    if (evicted !== undefined) flushed.push({ key: evicted.key, entry: evicted.entry });
    for (let node = cache.dirtyOldest; node !== undefined;) {
      const next = node.dirtyNewer;
      flushed.push({ key: node.key, entry: node.entry });
      node.entry = { value: node.entry.value, dirty: false, timestamp: node.entry.timestamp };
      if (node.entry.value === null) deletes.push(node.sortKey);
      node.dirtyNewer = undefined;
      node.dirtyOlder = undefined;
      node.inDirtyList = false;
      node = next;
    }
    cache.dirtyOldest = undefined;
    cache.dirtyNewest = undefined;
    cache.listener(flushed);
    // A flushed delete has reached the store below; keep it cached only if rewritten meanwhile.
    const removed: string[] = [];
    for (const sortKey of deletes) {
      const node = cache.nodes.get(sortKey);
      if (node !== undefined && !node.entry.dirty && node.entry.value === null) {
        this.remove(cache, node, false);
        removed.push(sortKey);
      }
    }
    if (cache.sortedKeys !== undefined && removed.length > 0) cache.sortedKeys.deleteSorted(removed.sort());
  }

  /** `fromSortedKeys` false: the caller takes the key out of `sortedKeys` itself, in a batch. */
  private remove(cache: StoreCache, node: CacheNode, fromSortedKeys = true): void {
    this.unlink(cache, node);
    this.unlinkDirty(cache, node);
    if (cache.lastNode === node) cache.lastNode = undefined;
    cache.nodes.delete(node.sortKey);
    if (fromSortedKeys) cache.sortedKeys?.delete(node.sortKey);
    this.totalEntries--;
    this.grow(-node.size);
  }

  private grow(bytes: number): void {
    this.totalBytes += bytes;
    this.budget.used += bytes;
  }

  private sortedKeysOf(cache: StoreCache): SortedKeyList {
    if (cache.sortedKeys === undefined) {
      const sorted = new SortedKeyList();
      for (const sortKey of [...cache.nodes.keys()].sort()) sorted.add(sortKey);
      cache.sortedKeys = sorted;
    }
    return cache.sortedKeys;
  }

  private appendDirty(cache: StoreCache, node: CacheNode): void {
    node.dirtyOlder = cache.dirtyNewest;
    node.dirtyNewer = undefined;
    if (cache.dirtyNewest !== undefined) cache.dirtyNewest.dirtyNewer = node;
    else cache.dirtyOldest = node;
    cache.dirtyNewest = node;
    node.inDirtyList = true;
  }

  private unlinkDirty(cache: StoreCache, node: CacheNode): void {
    if (!node.inDirtyList) return;
    if (node.dirtyNewer !== undefined) node.dirtyNewer.dirtyOlder = node.dirtyOlder;
    else cache.dirtyNewest = node.dirtyOlder;
    if (node.dirtyOlder !== undefined) node.dirtyOlder.dirtyNewer = node.dirtyNewer;
    else cache.dirtyOldest = node.dirtyNewer;
    node.dirtyNewer = undefined;
    node.dirtyOlder = undefined;
    node.inDirtyList = false;
  }

  private markMostRecent(cache: StoreCache, node: CacheNode): void {
    if (cache.newest === node) return;
    this.unlink(cache, node);
    node.older = cache.newest;
    node.newer = undefined;
    if (cache.newest !== undefined) cache.newest.newer = node;
    cache.newest = node;
    if (cache.oldest === undefined) cache.oldest = node;
  }

  private unlink(cache: StoreCache, node: CacheNode): void {
    if (node.newer !== undefined) node.newer.older = node.older;
    else if (cache.newest === node) cache.newest = node.older;
    if (node.older !== undefined) node.older.newer = node.newer;
    else if (cache.oldest === node) cache.oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }
}
