import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { STATE_DIRECTORY, StreamsError, getLogger, makeDirectory } from '../common/index.ts';
import type { BulkRestoringStore, DurableStore, KeyValue, KeyValueIterator, PrefetchingStore, StateStore, StateStoreContext } from './api.ts';
import { keyValueIterator } from './key-value-iterators.ts';
import { walkDisk } from './disk-walk.ts';
import { type BatchWrite, type KeyRange, type LevelDbAccess, LocalLevelDb } from './leveldb-access.ts';
import { ThreadLevelDb } from './leveldb-thread.ts';
import { OrderedBytesStore } from './ordered-bytes-store.ts';
import { PrefetchedRanges } from './prefetched-ranges.ts';
import { ReadCache } from './read-cache.ts';
import { DATA_END, DATA_PREFIX, DATA_RANGE, DATA_START, DURABLE_WRITES_KEY } from './leveldb-key-layout.ts';
import { readAheadKeys, readAheadPrefixes } from './leveldb-read-ahead.ts';
import { fromSortKey, toSortKey } from './sort-key.ts';
import { WriteBackBuffer } from './write-back-buffer.ts';

const log = getLogger('state');


/**
 * Default of `statestore.key.index.max.keys`: past 100,000 keys (about 10 MB of heap for the key
 * list) a store keeps its keys on disk only, long before the heap runs out, and every operation
 * still works (scans the batch did not read ahead walk the disk through the LevelDB thread).
 */
export const DEFAULT_KEY_INDEX_MAX_KEYS = 100_000;
/** Default bound of the cache of point reads, per store, once keys live on disk only. */
const READ_CACHE_BYTES = 8 * 1024 * 1024;
/** Default bound of the prefetched key ranges of earlier batches, per store (the current batch's are always kept). */
const PREFETCH_BYTES = 16 * 1024 * 1024;
/** Buffered writes past which a store without its keys in memory asks its task to commit. */
const PENDING_WRITES_COMMIT = 50_000;
/** Deletes of expired entries in one pass past which the store compacts its data (see `deleteMatching`). */
const COMPACT_AFTER_DELETES = 10_000;
/** Keys read from disk per step of a full pass. */
const KEYS_PER_STEP = 10_000;
/** Entries read from disk per step of a synchronous scan that no prefetch covered. */
const ENTRIES_PER_STEP = 1_000;

/** What a batch's record keys tell a store to read ahead once its keys are on disk only. */
export type PrefetchKind =
  /** The entries stored under those exact keys (key-value stores). */
  | 'keys'
  /** Every entry whose key starts with one of them (window and session stores: record key + time suffix). */
  | 'key-prefixes';

/** How a LevelDB store reads once its keys are on disk only; every field has a default. */
export interface LevelDbStoreOptions {
  /** What a batch's record keys tell the store to read ahead (default `'keys'`). */
  readonly prefetch?: PrefetchKind;
  /**
   * With `'key-prefixes'`: the prefix of this store's keys that a record with this key reads
   * (default: the record key itself). The foreign-key join's subscription store, keyed by
   * `[length][foreign key][primary key]` and read by foreign key, maps a key to its prefix.
   */
  readonly prefixOf?: (recordKey: Buffer) => Buffer;
  /** Bound of the cache of point reads, in bytes (default 8 MiB). */
  readonly readCacheBytes?: number;
  /** Bound of the prefetched ranges kept from earlier batches, in bytes (default 16 MiB). */
  readonly prefetchBytes?: number;
  /** Entries a scan that no prefetch covered reads from disk per step (default 1,000). */
  readonly scanStep?: number;
}

/**
 * A persistent key-value bytes store on LevelDB (classic-level), one database per store and task
 * under `<state.dir>/<application.id>/<taskId>/<store>`.
 *
 * Reads and writes stay synchronous, as the Processor API needs: writes go to a write-back buffer
 * and reach LevelDB in one batch at `flush()` (the task's commit); reads look in the buffer, then
 * on disk. classic-level has no synchronous iterator, and the store works in one of two ways:
 *
 * - **keys in memory** (while the store holds at most `statestore.key.index.max.keys` keys, default
 *   100,000): the database is open on this thread and every key is also kept in a sorted list in
 *   the heap, loaded once at `init`, so a range scan is a synchronous walk over a snapshot of it
 *   and a point read of an absent key never touches the disk.
 * - **keys on disk only** (past that, from the next flush on, for good until the store is
 *   reopened; the list is dropped — the switch waits for a flush because the batch being
 *   processed was not prefetched for): nothing per key stays in the heap, and the database is
 *   opened a second time, on the LevelDB thread (`leveldb-thread.ts`; both handles reach one
 *   database, so the store stays open while it moves), which this thread can ask synchronously
 *   (blocking in `Atomics.wait`, tens of microseconds a round trip). What a batch will read is
 *   read ahead once per batch of input records: before the task processes them, the runtime calls
 *   `prefetch` with the batch's record keys and the store reads, in one asynchronous step, the
 *   exact keys (`prefetch: 'keys'`, key-value stores, via `getMany`, into a bounded LRU cache of
 *   values, absences included) or every entry starting with each key (`'key-prefixes'`, window and
 *   session stores, whose keys are record key + time, so a window `fetch(key, from, to)` or a
 *   session `findSessions(key, …)` is inside the prefix range of its key) into bounded prefetched
 *   ranges (the current batch's are never evicted), kept equal to the disk as flushes write. A
 *   read outside them — `all()`, a reverse or cross-key scan (emit-on-window-close, suppress, the
 *   outer join's non-match scan, a punctuator), a key no record of the batch carries — walks the
 *   disk synchronously through the LevelDB thread, one step of entries (`scanStep`, default 1,000)
 *   at a time, merged with the buffered writes: slower than a prefetched read, never a failure.
 *
 * So an application's state can outgrow the heap without processors giving up their synchronous
 * store API, and the runtime awaits once per batch, never per record.
 *
 * Each flush is one write batch, synced to disk before it resolves (a task writes its checkpoint
 * only after the flush, so the checkpoint never vouches for data still in the OS's buffers), and
 * numbered: the batch also stores its number, which the task records in its checkpoint and
 * compares on the next open (see `DurableStore`). Restoration bypasses the write-back buffer:
 * `restoreBatch` writes each page of changelog records as one unsynced batch (as Kafka restores
 * RocksDB with its WAL off) and the next flush syncs; a crash before it restores again.
 *
 * @example
 * const builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), Serdes.String(), Serdes.Long());
 */
export class LevelDbKeyValueStore extends OrderedBytesStore implements DurableStore, PrefetchingStore, BulkRestoringStore {
  readonly persistent = true;
  /** The database: open on this thread while keys are in memory, on the LevelDB thread once they are on disk only. */
  private db: LevelDbAccess | undefined;
  /** The same database, while keys are on disk only: it also scans synchronously. */
  private diskDb: ThreadLevelDb | undefined;
  /**
   * The handle opened on this thread. The LevelDB thread's handle shares its database, whose block
   * cache belongs to the first handle (classic-level's `multithreading`): it stays open until the
   * store closes, and closes last.
   */
  private opener: LocalLevelDb | undefined;
  /** The move to the LevelDB thread under way (a flush past the key limit started it); flushes and close wait for it. */
  private moving: Promise<void> | undefined;
  private durable = 0;
  /** True while restored batches were written unsynced: the next flush syncs (and numbers) a batch. */
  private unsynced = false;
  private readonly pending = new WriteBackBuffer();
  /** False once the store keeps its keys on disk only. */
  private indexed = true;
  private keyIndexMaxKeys = DEFAULT_KEY_INDEX_MAX_KEYS;
  private readonly prefetchKind: PrefetchKind;
  private readonly prefixOf: ((recordKey: Buffer) => Buffer) | undefined;
  private readonly readCache: ReadCache;
  private readonly prefetched: PrefetchedRanges;
  private readonly scanStep: number;
  /**
   * Entries on disk while keys are on disk only: counted exactly when the store opens, then kept up
   * to date by each flushed write (exact when the old value was read first, as processors do).
   */
  private counted = 0;
  private readonly deleteAtFlush: Array<(key: Buffer) => boolean> = [];
  private requestCommit: (() => void) | undefined;
  /** The directory of this store's database, once initialised. */
  location = '';

  constructor(name: string, options: LevelDbStoreOptions = {}) {
    super(name);
    this.prefetchKind = options.prefetch ?? 'keys';
    this.prefixOf = options.prefixOf;
    this.readCache = new ReadCache(options.readCacheBytes ?? READ_CACHE_BYTES);
    this.prefetched = new PrefetchedRanges(options.prefetchBytes ?? PREFETCH_BYTES);
    this.scanStep = options.scanStep ?? ENTRIES_PER_STEP;
  }

  async init(context: StateStoreContext, _root: StateStore): Promise<void> {
    if (context.stateDir === undefined) {
      throw new StreamsError('INVALID_CONFIG', `persistent store "${this.name}" needs a state directory; set "state.dir" in the config`);
    }
    this.keyIndexMaxKeys = keyIndexMaxKeysOf(context.appConfigs);
    this.location = join(context.stateDir, this.name);
    makeDirectory(this.location, STATE_DIRECTORY);
    // `multithreading`: the LevelDB thread can open a second handle on it, for the move to keys on disk.
    const db = new ClassicLevel<Buffer, Buffer>(this.location, { keyEncoding: 'buffer', valueEncoding: 'buffer', multithreading: true });
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
    const local = new LocalLevelDb(db);
    this.indexed = true;
    let stored = 0;
    await eachStoredKey(local, (key) => {
      stored++;
      if (!this.indexed) return;
      if (stored > this.keyIndexMaxKeys) this.dropKeyList();
      else this.keys.add(toSortKey(key).slice(1));
    });
    this.counted = stored;
    const durable = await local.get(DURABLE_WRITES_KEY);
    this.durable = durable === undefined || durable.length !== 8 ? 0 : Number(durable.readBigUInt64BE(0));
    this.db = local;
    this.opener = local;
    if (!this.indexed) await this.moveToThread();
    this.requestCommit = context.requestCommit?.bind(context);
    context.registerDurable?.(this);
    context.registerPrefetching?.(this);
  }

  durableWrites(): number {
    return this.durable;
  }

  keysInMemory(): boolean {
    return this.indexed;
  }

  needsPrefetch(): boolean {
    return !this.indexed && this.db !== undefined;
  }

  async prefetch(recordKeys: ReadonlyArray<Buffer>): Promise<void> {
    if (!this.needsPrefetch()) return;
    const db = this.openDb();
    this.prefetched.nextRound();
    const wanted = new Set<string>();
    const prefixOf = this.prefetchKind === 'key-prefixes' ? this.prefixOf : undefined;
    for (const key of recordKeys) if (key.length > 0) wanted.add(toSortKey(prefixOf === undefined ? key : prefixOf(key)));
    try {
      if (this.prefetchKind === 'keys') await readAheadKeys(db, wanted, this.pending, this.readCache);
      else await readAheadPrefixes(db, wanted, this.prefetched);
    } catch (cause) {
      throw new StreamsError('STORAGE_ERROR', `could not read ahead from state store "${this.name}" at ${this.location}: ${(cause as Error).message}`, { cause });
    }
  }

  deleteMatchingAtFlush(matches: (key: Buffer) => boolean): void {
    this.deleteAtFlush.push(matches);
  }

  forEachKeyAsync(visit: (key: Buffer) => void): Promise<void> {
    const db = this.openDb();
    if (this.indexed) {
      this.forEachKey(visit);
      return Promise.resolve();
    }
    // Buffered writes first, so the pass sees what a synchronous walk would.
    return this.flush().then(() => eachStoredKey(db, (key) => visit(key.subarray(1))));
  }

  async flush(): Promise<void> {
    this.openDb();
    if (this.indexed && this.keys.size > this.keyIndexMaxKeys && this.moving === undefined) {
      this.moving = this.moveToThread().then(() => this.dropKeyList()).finally(() => {
        this.moving = undefined;
      });
    }
    if (this.moving !== undefined) await this.moving;
    const db = this.openDb();
    if (this.pending.size > 0 || this.unsynced) await this.writePending(db);
    if (this.deleteAtFlush.length > 0) await this.deleteMatching(db, this.deleteAtFlush.splice(0));
  }

  async close(): Promise<void> {
    if (this.db === undefined) return;
    await this.flush(); // waits for a move to the LevelDB thread under way, too
    const db = this.db;
    const opener = this.opener;
    this.db = undefined;
    this.diskDb = undefined;
    this.opener = undefined;
    this.keys.clear();
    this.readCache.clear();
    this.prefetched.clear();
    await db.close();
    if (opener !== undefined && opener !== db) await opener.close();
  }

  isOpen(): boolean {
    return this.db !== undefined;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.openDb();
    const sortKey = toSortKey(key);
    this.pending.set(sortKey, value);
    if (this.indexed) {
      if (value === null) this.keys.delete(sortKey);
      else this.keys.addIfAbsent(sortKey);
      // The switch waits for the flush: the records of this batch were not prefetched for.
      if (this.keys.size === this.keyIndexMaxKeys + 1) this.requestCommit?.();
    } else if (this.pending.size >= PENDING_WRITES_COMMIT) {
      this.requestCommit?.();
    }
  }

  async restoreBatch(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): Promise<void> {
    const db = this.openDb();
    if (entries.length === 0) return;
    // Older buffered writes reach disk first, so the batch's writes land after them.
    if (this.pending.size > 0) await this.writePending(db);
    // Restoring tasks and standbys process nothing, so nothing needs the read-ahead caches now: they are
    // dropped rather than kept in step write by write, and the key list may go before a flush.
    this.readCache.clear();
    this.prefetched.clear();
    const writes: BatchWrite[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const { key, value } = entries[i]!;
      writes[i] = { key: storedKeyOf(key), value };
      // Without the keys in memory a restored write is blind: it counts as a new key or a real delete, as at flush.
      if (!this.indexed) this.counted += value === null ? -1 : 1;
      else if (value === null) this.keys.delete(toSortKey(key));
      else if (this.keys.addIfAbsent(toSortKey(key)) && this.keys.size > this.keyIndexMaxKeys) this.dropKeyList();
    }
    try {
      await db.batch(writes, false);
    } catch (cause) {
      throw new StreamsError('STORAGE_ERROR', `could not write restored entries to state store "${this.name}" at ${this.location}: ${(cause as Error).message}`, { cause });
    }
    this.unsynced = true;
    if (!this.indexed && this.diskDb === undefined) await this.moveToThread();
  }

  override forEachKey(visit: (key: Buffer) => void): void {
    if (this.indexed) return super.forEachKey(visit);
    this.openDb();
    for (let walk = this.diskEntries(null, null, false, false), next = walk.next(); next.done !== true; next = walk.next()) visit(next.value.key);
  }

  override approximateNumEntries(): number {
    this.openDb();
    return this.indexed ? this.keys.size : Math.max(0, this.counted);
  }

  /** Only reached while the keys are in memory (the key list is empty otherwise): a buffered delete. */
  protected forgetDeleted(sortKey: string): void {
    this.pending.set(sortKey, null);
  }

  protected read(sortKey: string): Buffer | null {
    const db = this.openDb();
    const buffered = this.pending.get(sortKey);
    if (buffered !== undefined) return buffered;
    if (this.indexed) {
      // Every stored key is also in memory: a miss never needs a trip to LevelDB.
      if (!this.keys.has(sortKey)) return null;
      return db.getSync(fromSortKey(DATA_PREFIX + sortKey)) ?? null;
    }
    const prefetched = this.prefetched.lookup(sortKey);
    if (prefetched !== undefined) return prefetched;
    const cached = this.readCache.get(sortKey);
    if (cached !== undefined) return cached;
    const value = db.getSync(fromSortKey(DATA_PREFIX + sortKey)) ?? null;
    this.readCache.set(sortKey, value);
    return value;
  }

  /** With keys on disk only, called for ranges inside one prefetched range (see `entriesBetween`). */
  protected override keysBetween(from: string | null, to: string | null, toInclusive: boolean): string[] {
    if (this.indexed || from === null) return super.keysBetween(from, to, toInclusive);
    return mergeSorted(this.prefetched.keysBetween(from, to, toInclusive), this.pending.keysBetween(from, to, toInclusive));
  }

  protected override entriesBetween(from: string | null, to: string | null, toInclusive: boolean, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    if (this.indexed || (from !== null && this.prefetched.covers(from, to, toInclusive))) return super.entriesBetween(from, to, toInclusive, reverse);
    return keyValueIterator(this.diskEntries(from, to, toInclusive, reverse));
  }

  protected assertOpen(): void {
    this.openDb();
  }

  /** Drops the in-memory key list for good (until reopened): from now on keys live on disk only. */
  private dropKeyList(): void {
    log.info(`store "${this.name}" holds more than ${this.keyIndexMaxKeys} keys ("statestore.key.index.max.keys"): it keeps them on disk only from now on`);
    // The next flush counts each buffered write as a new key or a delete: start from what that makes exact.
    let buffered = 0;
    for (const [, value] of this.pending.entries()) buffered += value === null ? -1 : 1;
    this.counted = this.keys.size - buffered;
    this.keys.clear();
    this.indexed = false;
    this.pending.keepSorted();
  }

  /**
   * Opens the database on the LevelDB thread as well and hands every read and write to that
   * handle: the store has an open handle at every moment of the move, so reads (an interactive
   * query, a scan) made while it is under way are answered, from the key list that the caller drops
   * once the move is done. This thread's handle stays open (see `opener`).
   */
  private async moveToThread(): Promise<void> {
    try {
      this.diskDb = await ThreadLevelDb.open(this.location, true);
    } catch (cause) {
      throw new StreamsError('STORAGE_ERROR', `could not open state store "${this.name}" at ${this.location} on the LevelDB thread: ${(cause as Error).message}`, { cause });
    }
    this.db = this.diskDb;
  }

  /**
   * A synchronous walk over [from, to] on disk, merged with the buffered writes, ascending or
   * `reverse`, holding one step of entries at a time: the disk side is a snapshot taken when the
   * walk starts, and a key's buffered write, when there is one when the walk reaches it, wins.
   */
  private diskEntries(from: string | null, to: string | null, toInclusive: boolean, reverse: boolean): Iterator<KeyValue<Buffer, Buffer>> {
    const diskDb = this.diskDb!;
    const range: KeyRange = {
      gte: from === null ? DATA_START : fromSortKey(DATA_PREFIX + from),
      ...(to === null ? { lt: DATA_END } : toInclusive ? { lte: fromSortKey(DATA_PREFIX + to) } : { lt: fromSortKey(DATA_PREFIX + to) }),
      reverse,
    };
    const buffered = this.pending.keysBetween(from ?? '', to, toInclusive);
    if (reverse) buffered.reverse();
    return walkDisk(() => diskDb.cursor(range, false, this.scanStep), buffered, reverse, (key, onDisk) => this.valueWhenReached(key, onDisk));
  }

  /** A walked key's value now: its buffered write if any, else what the walk read from disk, else a read. */
  private valueWhenReached(sortKey: string, onDisk: Buffer | undefined): Buffer | null {
    const buffered = this.pending.get(sortKey);
    if (buffered !== undefined) return buffered;
    if (onDisk !== undefined) return onDisk;
    return this.isOpen() ? this.read(sortKey) : null;
  }

  private async writePending(db: LevelDbAccess): Promise<void> {
    const writes: BatchWrite[] = [];
    const flushed = this.pending.toWrite();
    for (const [sortKey, value] of flushed) {
      writes.push({ key: fromSortKey(DATA_PREFIX + sortKey), value });
      if (!this.indexed) this.keepCachesInStep(sortKey, value);
    }
    const next = Buffer.alloc(8);
    next.writeBigUInt64BE(BigInt(this.durable + 1));
    writes.push({ key: DURABLE_WRITES_KEY, value: next });
    try {
      await db.batch(writes, true);
    } catch (cause) {
      throw new StreamsError('STORAGE_ERROR', `could not write state store "${this.name}" at ${this.location}: ${(cause as Error).message}`, { cause });
    }
    this.pending.written(flushed);
    this.durable++;
    // A synced batch makes every earlier (unsynced) one durable too: LevelDB's log is written in order.
    this.unsynced = false;
  }

  /** A write about to reach disk: prefetched ranges and the read cache must say the same as the disk. */
  private keepCachesInStep(sortKey: string, value: Buffer | null): void {
    // A write whose old state no cache knows (a blind write, as restoration makes) counts as a new key or a real delete.
    const before = this.prefetched.lookup(sortKey) ?? this.readCache.get(sortKey);
    if ((before === null || before === undefined) && value !== null) this.counted++;
    else if (before !== null && value === null) this.counted--;
    this.prefetched.apply(sortKey, value);
    // A key-value store reads its written keys back soon; a window or session store reads ranges, so only keeps what it cached in step.
    if (this.prefetchKind === 'keys') this.readCache.set(sortKey, value);
    else this.readCache.update(sortKey, value);
  }

  /** One pass over the keys on disk, deleting those a matcher accepts (expired window/session segments). */
  private async deleteMatching(db: LevelDbAccess, matchers: ReadonlyArray<(key: Buffer) => boolean>): Promise<void> {
    let batch: Buffer[] = [];
    const write = async (): Promise<void> => {
      const keys = batch;
      batch = [];
      await db.batch(keys.map((key) => ({ key, value: null })), false);
    };
    let deleted = 0;
    try {
      await eachStoredKey(db, (storedKey) => {
        const key = storedKey.subarray(1);
        if (!matchers.some((matches) => matches(key))) return;
        batch.push(storedKey);
        const sortKey = toSortKey(key);
        this.prefetched.apply(sortKey, null);
        this.readCache.forget(sortKey);
        deleted++;
      }, () => (batch.length >= KEYS_PER_STEP ? write() : undefined));
      if (batch.length > 0) await write();
      // Expired sessions and windows lie all over the key order (their keys start with the record
      // key): left as deletes, they would make every read-ahead seek step over runs of them.
      if (deleted >= COMPACT_AFTER_DELETES) await db.compact(DATA_RANGE);
    } catch (cause) {
      throw new StreamsError('STORAGE_ERROR', `could not delete expired entries of state store "${this.name}" at ${this.location}: ${(cause as Error).message}`, { cause });
    }
    if (!this.indexed) this.counted -= deleted;
  }

  private openDb(): LevelDbAccess {
    if (this.db === undefined) {
      throw new StreamsError('STORE_CLOSED', `state store "${this.name}" is not open; use it only between its init and close`);
    }
    return this.db;
  }
}

/** `statestore.key.index.max.keys` from the application's config, checked. */
function keyIndexMaxKeysOf(configs: Readonly<{ [key: string]: unknown }>): number {
  const configured = configs['statestore.key.index.max.keys'];
  if (configured === undefined) return DEFAULT_KEY_INDEX_MAX_KEYS;
  const value = typeof configured === 'string' && configured.trim() !== '' ? Number(configured) : configured;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StreamsError('INVALID_CONFIG', `"statestore.key.index.max.keys" must be a whole number >= 0 (keys a persistent store keeps in memory), got ${JSON.stringify(configured)}`);
  }
  return value;
}

/** Calls `visit` with every stored data key (with its prefix byte), in batches; `afterStep` may await between them. */
function eachStoredKey(db: LevelDbAccess, visit: (storedKey: Buffer) => void, afterStep?: () => Promise<void> | undefined): Promise<void> {
  return db.keySteps(DATA_RANGE, KEYS_PER_STEP, (keys) => {
    for (const key of keys) visit(key);
    return afterStep?.();
  });
}

/** The LevelDB key of a data key: the data prefix byte, then the key. */
function storedKeyOf(key: Buffer): Buffer {
  const stored = Buffer.allocUnsafe(key.length + 1);
  stored[0] = DATA_START[0]!;
  key.copy(stored, 1);
  return stored;
}

/** Two ascending lists of distinct keys merged into one, without duplicates. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return a as string[];
  if (a.length === 0) return b as string[];
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j === b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else if (i === a.length || b[j]! < a[i]!) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  return out;
}
