import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { STATE_DIRECTORY, StreamsError, makeDirectory } from '../common/index.ts';
import type { StateStore, StateStoreContext } from './api.ts';
import { OrderedBytesStore } from './ordered-bytes-store.ts';
import { fromSortKey, toSortKey } from './sort-key.ts';

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
export class LevelDbKeyValueStore extends OrderedBytesStore {
  readonly persistent = true;
  private db: Db | undefined;
  /** Written since the last flush: sort key → value (null = delete). */
  private readonly pending = new Map<string, Buffer | null>();
  /** The directory of this store's database, once initialised. */
  location: string | undefined;

  async init(context: StateStoreContext, _root: StateStore): Promise<void> {
    if (context.stateDir === undefined) {
      throw new StreamsError('INVALID_CONFIG', `persistent store "${this.name}" needs a state directory; set "state.dir" in the config`);
    }
    this.location = join(context.stateDir, this.name);
    makeDirectory(this.location, STATE_DIRECTORY);
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

  put(key: Buffer, value: Buffer | null): void {
    this.openDb();
    const sortKey = toSortKey(key);
    if (value === null) this.keys.delete(sortKey);
    else if (!this.keys.has(sortKey)) this.keys.add(sortKey);
    this.pending.set(sortKey, value);
  }

  protected read(sortKey: string): Buffer | null {
    const db = this.openDb();
    const buffered = this.pending.get(sortKey);
    if (buffered !== undefined) return buffered;
    // Every stored key is also in memory: a miss never needs a trip to LevelDB.
    if (!this.keys.has(sortKey)) return null;
    return db.getSync(fromSortKey(sortKey)) ?? null;
  }

  protected assertOpen(): void {
    this.openDb();
  }

  private openDb(): Db {
    if (this.db === undefined) {
      throw new StreamsError('STORE_CLOSED', `state store "${this.name}" is not open; use it only between its init and close`);
    }
    return this.db;
  }
}
