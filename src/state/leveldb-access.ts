import type { ClassicLevel } from 'classic-level';

/** One write of a batch: a put, or a delete when `value` is null. */
export interface BatchWrite {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

/** A key range of a database: from `gte`, up to `lt` (exclusive) or `lte` (inclusive). */
export interface KeyRange {
  readonly gte: Buffer;
  readonly lt?: Buffer;
  readonly lte?: Buffer;
  readonly reverse?: boolean;
}

/**
 * What a LevelDB store asks of its database, whether the database is open on this thread
 * (`LocalLevelDb`) or on the LevelDB thread (`ThreadLevelDb`, which can also scan synchronously).
 */
export interface LevelDbAccess {
  /** The value under `key`, synchronously; undefined when absent. */
  getSync(key: Buffer): Buffer | undefined;
  get(key: Buffer): Promise<Buffer | undefined>;
  getMany(keys: readonly Buffer[]): Promise<Array<Buffer | undefined>>;
  /** Writes atomically; with `durable` the batch is synced to disk before the promise resolves. */
  batch(writes: readonly BatchWrite[], durable: boolean): Promise<void>;
  /** Every entry of each range (ascending; `reverse` ignored), read concurrently: one answer per range. */
  entriesOf(ranges: readonly KeyRange[]): Promise<Array<Array<[Buffer, Buffer]>>>;
  /** Calls `visit` with the keys of a range, `step` at a time, awaiting what it returns. */
  keySteps(range: KeyRange, step: number, visit: (keys: Buffer[]) => Promise<void> | void): Promise<void>;
  /**
   * Compacts a range (bounds inclusive), dropping the deletes it holds: until then a read that
   * seeks into a run of deleted keys steps over every one of them to the next live key.
   */
  compact(range: KeyRange): Promise<void>;
  close(): Promise<void>;
}

/** Databases opened by stores in this thread, each by its first handle (the one that owns its memory). */
const openDatabases = new Set<ClassicLevel<Buffer, Buffer>>();

/**
 * What the LevelDB databases of this thread's stores hold in native memory now, by LevelDB's own
 * count (`leveldb.approximate-memory-usage`: memtables and block caches; not the index and filter
 * blocks of open table files): the part of the process's memory outside the JavaScript heap that
 * grows with the number of stores, at most `2 × writeBufferSize + cacheSize` per store.
 *
 * @example
 * console.log(`LevelDB: ${Math.round(levelDbMemoryBytes() / 2 ** 20)} MiB in memtables and block caches`);
 */
export function levelDbMemoryBytes(): number {
  let bytes = 0;
  for (const db of openDatabases) bytes += Number(db.getProperty('leveldb.approximate-memory-usage')) || 0;
  return bytes;
}

/** A database open on the calling thread: asynchronous reads and writes run on libuv's pool. */
export class LocalLevelDb implements LevelDbAccess {
  constructor(private readonly db: ClassicLevel<Buffer, Buffer>) {
    openDatabases.add(db);
  }

  getSync(key: Buffer): Buffer | undefined {
    return this.db.getSync(key);
  }

  get(key: Buffer): Promise<Buffer | undefined> {
    return this.db.get(key);
  }

  getMany(keys: readonly Buffer[]): Promise<Array<Buffer | undefined>> {
    return this.db.getMany(keys as Buffer[]);
  }

  batch(writes: readonly BatchWrite[], durable: boolean): Promise<void> {
    // A chained batch: abstract-level's array form copies and re-checks every operation, about ten times slower.
    const batch = this.db.batch();
    for (const { key, value } of writes) {
      if (value === null) batch.del(key);
      else batch.put(key, value);
    }
    return batch.write({ sync: durable });
  }

  entriesOf(ranges: readonly KeyRange[]): Promise<Array<Array<[Buffer, Buffer]>>> {
    return Promise.all(ranges.map((range) => this.db.iterator({ ...range, reverse: false }).all()));
  }

  async keySteps(range: KeyRange, step: number, visit: (keys: Buffer[]) => Promise<void> | void): Promise<void> {
    const iterator = this.db.keys(range);
    try {
      for (let keys = await iterator.nextv(step); keys.length > 0; keys = await iterator.nextv(step)) await visit(keys);
    } finally {
      await iterator.close();
    }
  }

  compact(range: KeyRange): Promise<void> {
    return this.db.compactRange(range.gte, range.lt ?? range.lte!);
  }

  close(): Promise<void> {
    openDatabases.delete(this.db);
    return this.db.close();
  }
}
