import { StreamsError, getLogger } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValue, KeyValueBytesStore, KeyValueIterator, StateStoreContext, StateStore } from './api.ts';
import { keyValueIterator } from './key-value-iterators.ts';
import { fromSortKey, prefixUpperBound, toSortKey } from './sort-key.ts';
import { SortedKeyList } from './sorted-key-list.ts';

const log = getLogger('state.in-memory');

/**
 * Kafka's in-memory key-value bytes store: keys ordered by unsigned byte comparison, inclusive range
 * bounds (null = unbounded), and iterators that walk a snapshot of the keys taken when they are
 * created, so writing to the store while iterating is safe (a key deleted meanwhile is skipped, a
 * key added meanwhile is not seen). Values are kept as given; callers hand over fresh Buffers.
 *
 * It is the innermost layer of a store built by `Stores.keyValueStoreBuilder`; on its own it knows
 * nothing of changelogs or caches.
 *
 * @example
 * const store = Stores.inMemoryKeyValueStore('counts').get();
 * store.put(Buffer.from('a'), Buffer.from([1]));
 */
export class InMemoryKeyValueStore implements KeyValueBytesStore {
  readonly persistent = false;
  private readonly values = new Map<string, Buffer>();
  private readonly keys = new SortedKeyList();
  private open = false;

  constructor(readonly name: string) {}

  init(_context: StateStoreContext, _root: StateStore): void {
    this.open = true;
  }

  flush(): void {
    // Nothing is buffered: every write is already in memory.
  }

  close(): void {
    this.open = false;
    this.values.clear();
    this.keys.clear();
  }

  isOpen(): boolean {
    return this.open;
  }

  get(key: Buffer): Buffer | null {
    this.assertOpen();
    return this.values.get(toSortKey(key)) ?? null;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.assertOpen();
    const sortKey = toSortKey(key);
    if (value === null) {
      if (this.values.delete(sortKey)) this.keys.delete(sortKey);
      return;
    }
    if (!this.values.has(sortKey)) this.keys.add(sortKey);
    this.values.set(sortKey, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    const existing = this.get(key);
    if (existing === null) this.put(key, value);
    return existing;
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer>>): void {
    for (const entry of entries) this.put(entry.key, entry.value);
  }

  delete(key: Buffer): Buffer | null {
    const existing = this.get(key);
    if (existing !== null) this.put(key, null);
    return existing;
  }

  range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.scan(from, to, false);
  }

  reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.scan(from, to, true);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.scan(null, null, false);
  }

  reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.scan(null, null, true);
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<Buffer, Buffer> {
    this.assertOpen();
    const prefixBytes = prefixKeySerde.serialize(this.name, prefix) ?? Buffer.alloc(0);
    const from = toSortKey(prefixBytes);
    return this.iterate(this.keys.keysBetween(from, prefixUpperBound(from), false));
  }

  approximateNumEntries(): number {
    this.assertOpen();
    return this.values.size;
  }

  private scan(from: Buffer | null, to: Buffer | null, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    this.assertOpen();
    const fromKey = from === null ? null : toSortKey(from);
    const toKey = to === null ? null : toSortKey(to);
    if (fromKey !== null && toKey !== null && fromKey > toKey) {
      log.warn(`range scan on store "${this.name}" with from > to returns no entries; ` +
        'pass the bounds in ascending byte order of the serialized keys (reverseRange takes them in the same order)');
      return keyValueIterator<Buffer, Buffer>([][Symbol.iterator]());
    }
    const keys = this.keys.keysBetween(fromKey, toKey);
    if (reverse) keys.reverse();
    return this.iterate(keys);
  }

  /** Walks a snapshot of keys, reading each value when reached and skipping keys deleted since. */
  private iterate(snapshot: readonly string[]): KeyValueIterator<Buffer, Buffer> {
    const values = this.values;
    function* entries(): Generator<KeyValue<Buffer, Buffer>> {
      for (const sortKey of snapshot) {
        const value = values.get(sortKey);
        if (value !== undefined) yield { key: fromSortKey(sortKey), value };
      }
    }
    return keyValueIterator(entries());
  }

  private assertOpen(): void {
    if (!this.open) {
      throw new StreamsError('STORE_CLOSED', `state store "${this.name}" is not open; ` +
        'use it only between its init and close (from a processor after init, or from the test driver before close)');
    }
  }
}
