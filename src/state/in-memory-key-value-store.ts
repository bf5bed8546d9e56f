import { StreamsError } from '../common/index.ts';
import type { StateStoreContext, StateStore } from './api.ts';
import { LastSortKey } from './last-sort-key.ts';
import { OrderedBytesStore } from './ordered-bytes-store.ts';

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
export class InMemoryKeyValueStore extends OrderedBytesStore {
  readonly persistent = false;
  private readonly values = new Map<string, Buffer>();
  /** An update is a get then a put of the same key: one sort key for both. */
  private readonly sortKeys = new LastSortKey();
  private open = false;

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
    this.sortKeys.clear();
  }

  isOpen(): boolean {
    return this.open;
  }

  override get(key: Buffer): Buffer | null {
    return this.read(this.sortKeys.of(key));
  }

  put(key: Buffer, value: Buffer | null): void {
    this.assertOpen();
    const sortKey = this.sortKeys.of(key);
    if (value === null) {
      if (this.values.delete(sortKey)) this.keys.delete(sortKey);
      return;
    }
    if (!this.values.has(sortKey)) this.keys.add(sortKey);
    this.values.set(sortKey, value);
  }

  protected forgetDeleted(sortKey: string): void {
    this.values.delete(sortKey);
  }

  protected read(sortKey: string): Buffer | null {
    this.assertOpen();
    return this.values.get(sortKey) ?? null;
  }

  protected assertOpen(): void {
    if (!this.open) {
      throw new StreamsError('STORE_CLOSED', `state store "${this.name}" is not open; ` +
        'use it only between its init and close (from a processor after init, or from the test driver before close)');
    }
  }
}
