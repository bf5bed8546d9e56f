import { getLogger } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyScanningBytesStore, KeyValue, KeyValueIterator, StateStore, StateStoreContext } from './api.ts';
import { emptyKeyValueIterator, SnapshotIterator } from './key-value-iterators.ts';
import type { SortKeyReader } from './key-value-iterators.ts';
import { fromSortKey, prefixUpperBound, toSortKey } from './sort-key.ts';
import { SortedKeyList } from './sorted-key-list.ts';

const log = getLogger('state');

/**
 * What the bytes stores share: keys kept in a sorted list in unsigned byte order (Kafka's `Bytes`
 * order), inclusive range bounds (null = unbounded), and iterators that walk a snapshot of the
 * keys taken when they are created, reading each value when reached — writing while iterating is
 * safe (a key deleted meanwhile is skipped, a key added meanwhile is not seen). Subclasses say
 * where values live.
 */
export abstract class OrderedBytesStore implements KeyScanningBytesStore {
  abstract readonly persistent: boolean;
  protected readonly keys = new SortedKeyList();
  /** What an iterator reads for a sort key: nothing once the store was closed under it. */
  private readonly readLive: SortKeyReader = (sortKey) => (this.isOpen() ? this.read(sortKey) : null);

  constructor(readonly name: string) {}

  abstract init(context: StateStoreContext, root: StateStore): void | Promise<void>;
  abstract flush(): void | Promise<void>;
  abstract close(): void | Promise<void>;
  abstract isOpen(): boolean;
  abstract put(key: Buffer, value: Buffer | null): void;
  /** The value stored under a sort key, or null; throws STORE_CLOSED when the store is not open. */
  protected abstract read(sortKey: string): Buffer | null;
  /** Throws STORE_CLOSED when the store is not open. */
  protected abstract assertOpen(): void;
  /** Deletes the value of a key `deleteKeysWhere` just took out of the key list. */
  protected abstract forgetDeleted(sortKey: string): void;

  get(key: Buffer): Buffer | null {
    return this.read(toSortKey(key));
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
    const from = toSortKey(prefixKeySerde.serialize(this.name, prefix) ?? Buffer.alloc(0));
    return this.entriesBetween(from, prefixUpperBound(from), false, false);
  }

  forEachKey(visit: (key: Buffer) => void): void {
    this.assertOpen();
    for (const sortKey of this.keys.keysBetween(null, null)) visit(fromSortKey(sortKey));
  }

  /**
   * Deletes every key whose sort key `matches` accepts, in one pass over the key list instead of a
   * search per key; returns how many. Iterators open meanwhile skip them, as after `put(key, null)`.
   */
  deleteKeysWhere(matches: (sortKey: string) => boolean): number {
    this.assertOpen();
    const removed = this.keys.removeWhere(matches);
    for (const sortKey of removed) this.forgetDeleted(sortKey);
    return removed.length;
  }

  approximateNumEntries(): number {
    this.assertOpen();
    return this.keys.size;
  }

  /** Sort keys in [from, to] (`to` excluded unless `toInclusive`; null = unbounded), ascending: a snapshot. */
  protected keysBetween(from: string | null, to: string | null, toInclusive: boolean): string[] {
    return this.keys.keysBetween(from, to, toInclusive);
  }

  /**
   * The entries in [from, to] (`to` excluded unless `toInclusive`; null = unbounded), ascending or
   * `reverse`: by default a walk over a snapshot of `keysBetween`; a store whose keys are not all in
   * memory walks its disk instead.
   */
  protected entriesBetween(from: string | null, to: string | null, toInclusive: boolean, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    const keys = this.keysBetween(from, to, toInclusive);
    if (reverse) keys.reverse();
    return this.iterate(keys);
  }

  private scan(from: Buffer | null, to: Buffer | null, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    this.assertOpen();
    const fromKey = from === null ? null : toSortKey(from);
    const toKey = to === null ? null : toSortKey(to);
    if (fromKey !== null && toKey !== null && fromKey > toKey) {
      log.warn(`range scan on store "${this.name}" with from > to returns no entries; ` +
        'pass the bounds in ascending byte order of the serialized keys (reverseRange takes them in the same order)');
      return emptyKeyValueIterator();
    }
    return this.entriesBetween(fromKey, toKey, true, reverse);
  }

  /** Walks a snapshot of keys, reading each value when reached and skipping keys deleted since. */
  private iterate(snapshot: readonly string[]): KeyValueIterator<Buffer, Buffer> {
    return new SnapshotIterator(snapshot, this.readLive, fromSortKey);
  }
}
