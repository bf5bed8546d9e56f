import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValue, KeyValueBytesStore, KeyValueIterator, StateStore, StateStoreContext } from './api.ts';
import { keyValueIterator } from './key-value-iterators.ts';
import { fromSortKey, prefixUpperBound, toSortKey } from './sort-key.ts';
import { SortedKeyList } from './sorted-key-list.ts';

type Db = ClassicLevel<Buffer, Buffer>;

/**
 * A persistent key-value bytes store on LevelDB (classic-level), one database per store and task
 * under `<state.dir>/<application.id>/<taskId>/<store>`.
 *
 * Reads and writes stay synchronous, as the Processor API needs: writes go to a write-back buffer
 * and reach LevelDB in one batch at `flush()` (the task's commit); reads look in the buffer, then
 * use LevelDB's synchronous get. The store's keys are also kept in memory, loaded once at `init`,
 * so range scans are ordered walks over a snapshot without an async iterator.
 *
 * @example
 * const builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), Serdes.String(), Serdes.Long());
 */
export class LevelDbKeyValueStore implements KeyValueBytesStore {
  readonly persistent = true;
  private db: Db | undefined;
  /** Written since the last flush: sort key → value (null = delete). */
  private readonly pending = new Map<string, Buffer | null>();
  private readonly keys = new SortedKeyList();
  /** The directory of this store's database, once initialised. */
  location: string | undefined;

  constructor(readonly name: string) {}

  async init(context: StateStoreContext, _root: StateStore): Promise<void> {
    if (context.stateDir === undefined) {
      throw new StreamsError('INVALID_CONFIG', `persistent store "${this.name}" needs a state directory; set "state.dir" in the config`);
    }
    this.location = join(context.stateDir, this.name);
    mkdirSync(this.location, { recursive: true });
    const db = new ClassicLevel<Buffer, Buffer>(this.location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    try {
      await db.open();
    } catch (cause) {
      throw new StreamsError('STORE_CLOSED', `could not open persistent store "${this.name}" at ${this.location}: ${(cause as Error).message}`, { cause });
    }
    for (const key of await db.keys().all()) this.keys.add(toSortKey(key));
    this.db = db;
  }

  async flush(): Promise<void> {
    const db = this.openDb();
    if (this.pending.size === 0) return;
    const operations = [...this.pending].map(([sortKey, value]) =>
      value === null ? { type: 'del' as const, key: fromSortKey(sortKey) } : { type: 'put' as const, key: fromSortKey(sortKey), value });
    this.pending.clear();
    await db.batch(operations);
  }

  async close(): Promise<void> {
    if (this.db === undefined) return;
    await this.flush();
    const db = this.db;
    this.db = undefined;
    this.keys.clear();
    await db.close();
  }

  isOpen(): boolean {
    return this.db !== undefined;
  }

  get(key: Buffer): Buffer | null {
    return this.read(toSortKey(key));
  }

  put(key: Buffer, value: Buffer | null): void {
    this.openDb();
    const sortKey = toSortKey(key);
    if (value === null) this.keys.delete(sortKey);
    else if (!this.keys.has(sortKey)) this.keys.add(sortKey);
    this.pending.set(sortKey, value);
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
    this.openDb();
    const from = toSortKey(prefixKeySerde.serialize(this.name, prefix) ?? Buffer.alloc(0));
    return this.iterate(this.keys.keysBetween(from, prefixUpperBound(from), false));
  }

  approximateNumEntries(): number {
    this.openDb();
    return this.keys.size;
  }

  private read(sortKey: string): Buffer | null {
    const db = this.openDb();
    const buffered = this.pending.get(sortKey);
    if (buffered !== undefined) return buffered;
    return db.getSync(fromSortKey(sortKey)) ?? null;
  }

  private scan(from: Buffer | null, to: Buffer | null, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    this.openDb();
    const fromKey = from === null ? null : toSortKey(from);
    const toKey = to === null ? null : toSortKey(to);
    if (fromKey !== null && toKey !== null && fromKey > toKey) return keyValueIterator<Buffer, Buffer>([][Symbol.iterator]());
    const keys = this.keys.keysBetween(fromKey, toKey);
    if (reverse) keys.reverse();
    return this.iterate(keys);
  }

  /** Walks a snapshot of keys, reading each value when reached and skipping keys deleted since. */
  private iterate(snapshot: readonly string[]): KeyValueIterator<Buffer, Buffer> {
    const read = (sortKey: string): Buffer | null => (this.db === undefined ? null : this.read(sortKey));
    function* entries(): Generator<KeyValue<Buffer, Buffer>> {
      for (const sortKey of snapshot) {
        const value = read(sortKey);
        if (value !== null) yield { key: fromSortKey(sortKey), value };
      }
    }
    return keyValueIterator(entries());
  }

  private openDb(): Db {
    if (this.db === undefined) {
      throw new StreamsError('STORE_CLOSED', `state store "${this.name}" is not open; use it only between its init and close`);
    }
    return this.db;
  }
}
