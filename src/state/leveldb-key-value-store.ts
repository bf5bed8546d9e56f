import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { STATE_DIRECTORY, StreamsError, makeDirectory } from '../common/index.ts';
import type { DurableStore, StateStore, StateStoreContext } from './api.ts';
import { OrderedBytesStore } from './ordered-bytes-store.ts';
import { fromSortKey, toSortKey } from './sort-key.ts';

type Db = ClassicLevel<Buffer, Buffer>;

/**
 * Key layout: every stored key starts with one byte saying what it is, so the store's own
 * bookkeeping can never collide with a user's key. Data keys are `0x01 + key` (all in one range,
 * in the keys' byte order); `0x00 + "durable-writes"` holds the number of the last durable write.
 */
const DATA_PREFIX = '\x01';
const DATA_START = Buffer.from([0x01]);
const DATA_END = Buffer.from([0x02]);
const DURABLE_WRITES_KEY = Buffer.from('\x00durable-writes', 'latin1');

/**
 * A persistent key-value bytes store on LevelDB (classic-level), one database per store and task
 * under `<state.dir>/<application.id>/<taskId>/<store>`.
 *
 * Reads and writes stay synchronous, as the Processor API needs: writes go to a write-back buffer
 * and reach LevelDB in one batch at `flush()` (the task's commit); reads look in the buffer, then
 * use LevelDB's synchronous get. The store's keys are also kept in memory, loaded once at `init`,
 * so range scans are ordered walks over a snapshot without an async iterator.
 *
 * Each flush is one write batch, synced to disk before it resolves (a task writes its checkpoint
 * only after the flush, so the checkpoint never vouches for data still in the OS's buffers), and
 * numbered: the batch also stores its number, which the task records in its checkpoint and
 * compares on the next open (see `DurableStore`).
 *
 * @example
 * const builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), Serdes.String(), Serdes.Long());
 */
export class LevelDbKeyValueStore extends OrderedBytesStore implements DurableStore {
  readonly persistent = true;
  private db: Db | undefined;
  private durable = 0;
  /** Written since the last flush: sort key → value (null = delete). */
  private readonly pending = new Map<string, Buffer | null>();
  /** The directory of this store's database, once initialised. */
  location = '';

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
      const locked = (cause as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
      throw new StreamsError(
        locked ? 'STORE_CLOSED' : 'STORE_CORRUPTED',
        `could not open persistent store "${this.name}" at ${this.location}: ${(cause as Error).message}${locked ? '; another process has it open' : ''}`,
        { cause },
      );
    }
    for (const key of await db.keys({ gte: DATA_START, lt: DATA_END }).all()) this.keys.add(toSortKey(key).slice(1));
    const durable = await db.get(DURABLE_WRITES_KEY);
    this.durable = durable === undefined || durable.length !== 8 ? 0 : Number(durable.readBigUInt64BE(0));
    this.db = db;
    context.registerDurable?.(this);
  }

  durableWrites(): number {
    return this.durable;
  }

  async flush(): Promise<void> {
    const db = this.openDb();
    if (this.pending.size === 0) return;
    const operations: Array<{ type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer }> = [...this.pending].map(([sortKey, value]) =>
      value === null ? { type: 'del' as const, key: fromSortKey(DATA_PREFIX + sortKey) } : { type: 'put' as const, key: fromSortKey(DATA_PREFIX + sortKey), value });
    this.pending.clear();
    const next = Buffer.alloc(8);
    next.writeBigUInt64BE(BigInt(this.durable + 1));
    operations.push({ type: 'put', key: DURABLE_WRITES_KEY, value: next });
    try {
      await db.batch(operations, { sync: true });
    } catch (cause) {
      throw new StreamsError('STORAGE_ERROR', `could not write state store "${this.name}" at ${this.location}: ${(cause as Error).message}`, { cause });
    }
    this.durable++;
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
    return db.getSync(fromSortKey(DATA_PREFIX + sortKey)) ?? null;
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
