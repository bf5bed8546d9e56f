import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type {
  CachedKeyValue, KeyValue, KeyValueBytesStore, KeyValueIterator, RecordCache, StateStore, StateStoreContext,
} from './api.ts';
import { mergedCacheIterator } from './merged-cache-iterator.ts';
import { FlushTimestampContext } from './flush-timestamp-context.ts';
import { fromSortKey, prefixUpperBound, toSortKey } from './sort-key.ts';
import { WrappedKeyValueBytesStore } from './wrapped-key-value-bytes-store.ts';

/** Receives a flushed entry of a caching bytes store; `oldValue` is null unless old values were asked for. */
export type BytesFlushListener = (key: Buffer, newValue: Buffer | null, oldValue: Buffer | null, timestamp: number) => void;

/**
 * Kafka's caching layer: writes stay in the task's record cache (dirty) until the store is flushed
 * (at commit) or the cache evicts them; reads look in the cache first. At flush each dirty entry is
 * written to the store below, stamped with the timestamp of the record that wrote it, and handed to
 * the flush listener with the value the store held before: several updates to one key between
 * commits reach the store and the listener once. A delete of a key that never existed is dropped.
 *
 * Without a cache in the context (`statestore.cache.max.bytes` = 0) it passes every call through,
 * and `setFlushListener` reports false so the caller forwards updates itself.
 *
 * @example
 * const store = new CachingKeyValueStore(new ChangeLoggingKeyValueBytesStore(bytes, false));
 * store.init(context, root);
 * store.setFlushListener((key, newValue, oldValue) => forward(key, newValue, oldValue), true);
 */
export class CachingKeyValueStore extends WrappedKeyValueBytesStore {
  private cache: RecordCache | undefined;
  private context: FlushTimestampContext | undefined;
  private listener: BytesFlushListener | undefined;
  private sendOldValues = false;

  constructor(inner: KeyValueBytesStore) {
    super(inner);
  }

  override init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.context = new FlushTimestampContext(context);
    this.cache = context.cache;
    this.cache?.setDirtyEntryFlushListener(this.name, (entries) => this.writeFlushed(entries));
    return this.inner.init(this.context, root);
  }

  /**
   * Sets who hears about flushed entries; returns false when no record cache is in use (then every
   * write goes straight down and nothing will be flushed). Call it after init, from Processor.init.
   */
  setFlushListener(listener: BytesFlushListener, sendOldValues: boolean): boolean {
    if (this.context === undefined) {
      throw new StreamsError('ILLEGAL_STATE', `setFlushListener on store "${this.name}" was called before the store was initialised; ` +
        'call it from the processor\'s init, which runs after the task initialised its stores');
    }
    if (this.cache === undefined) return false;
    this.listener = listener;
    this.sendOldValues = sendOldValues;
    return true;
  }

  override flush(): void | Promise<void> {
    this.cache?.flush(this.name);
    return this.inner.flush();
  }

  override close(): void | Promise<void> {
    if (this.cache !== undefined) {
      this.cache.flush(this.name);
      this.cache.close(this.name);
    }
    return this.inner.close();
  }

  override get(key: Buffer): Buffer | null {
    const cache = this.cache;
    if (cache === undefined) return this.inner.get(key);
    const cached = cache.get(this.name, key);
    if (cached !== undefined) return cached.value;
    const stored = this.inner.get(key);
    // Kafka caches what it read (clean) so repeated reads of a hot key stay in memory.
    if (stored !== null) cache.put(this.name, key, { value: stored, dirty: false, timestamp: -1 });
    return stored;
  }

  override put(key: Buffer, value: Buffer | null): void {
    if (this.cache === undefined) this.inner.put(key, value);
    else this.cache.put(this.name, key, { value, dirty: true, timestamp: this.context!.recordTimestamp() });
  }

  override putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    if (this.cache === undefined) return this.inner.putIfAbsent(key, value);
    const existing = this.get(key);
    if (existing === null) this.put(key, value);
    return existing;
  }

  override putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer>>): void {
    if (this.cache === undefined) this.inner.putAll(entries);
    else for (const entry of entries) this.put(entry.key, entry.value);
  }

  override delete(key: Buffer): Buffer | null {
    if (this.cache === undefined) return this.inner.delete(key);
    const existing = this.get(key);
    this.put(key, null);
    return existing;
  }

  override range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.scan(from, to, false);
  }

  override reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.scan(from, to, true);
  }

  override all(): KeyValueIterator<Buffer, Buffer> {
    return this.scan(null, null, false);
  }

  override reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.scan(null, null, true);
  }

  override prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<Buffer, Buffer> {
    if (this.cache === undefined) return this.inner.prefixScan(prefix, prefixKeySerde);
    const from = prefixKeySerde.serialize(this.name, prefix) ?? Buffer.alloc(0);
    const upper = prefixUpperBound(toSortKey(from));
    const cached = this.cache.range(this.name, from, upper === null ? null : fromSortKey(upper), false);
    return mergedCacheIterator(cached, this.inner.prefixScan(prefix, prefixKeySerde), false);
  }

  private scan(from: Buffer | null, to: Buffer | null, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    const stored = reverse ? this.inner.reverseRange(from, to) : this.inner.range(from, to);
    // An inverted range is the store's to judge (it warns and returns nothing).
    if (this.cache === undefined || (from !== null && to !== null && Buffer.compare(from, to) > 0)) return stored;
    const cached = this.cache.range(this.name, from, to);
    if (reverse) cached.reverse();
    return mergedCacheIterator(cached, stored, reverse);
  }

  /** Writes flushed entries below, each stamped with its own timestamp, and tells the listener. */
  private writeFlushed(entries: ReadonlyArray<CachedKeyValue>): void {
    const context = this.context!;
    for (const { key, entry } of entries) {
      const listener = this.listener;
      const newValue = entry.value;
      const oldValue = listener !== undefined && (newValue === null || this.sendOldValues) ? this.inner.get(key) : null;
      if (listener !== undefined && newValue === null && oldValue === null) continue;
      context.runAt(entry.timestamp, () => this.inner.put(key, newValue));
      listener?.(key, newValue, this.sendOldValues ? oldValue : null, entry.timestamp);
    }
  }
}
