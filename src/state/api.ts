import type { Serde, Windowed } from '../serde/index.ts';

/** A key and its value, as stores and test outputs return them. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

/**
 * An iterator over store entries in key order (the byte order of the serialized keys, as in Kafka).
 * Synchronous, because processors are; call `close()` when stopping early.
 */
export interface KeyValueIterator<K, V> extends IterableIterator<KeyValue<K, V>> {
  close(): void;
}

/**
 * What a store learns when its task initialises it. `state/` never knows about topics: the task
 * hands it a changelog sink (when logging is on) and the shared record cache (when caching is on).
 */
export interface StateStoreContext {
  readonly applicationId: string;
  readonly taskId: string;
  /** The partition of the task; changelog records go to this partition. */
  readonly partition: number;
  /** Directory for persistent stores of this task (`state.dir/<application.id>/<taskId>`), when any. */
  readonly stateDir: string | undefined;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  /** The task's record cache, shared by its caching stores; undefined when the cache size is 0. */
  readonly cache: RecordCache | undefined;
  /** Where change-logging stores send every write, or undefined when the task does not log. */
  changelogSinkFor(storeName: string): ChangelogSink | undefined;
  /** Registers a store so the task flushes and closes it, and restores it from its changelog. */
  register(store: StateStore, restore: RestoreCallback): void;
  /**
   * Called by a store whose data outlives the process (LevelDB), so the task can write how far
   * that data went into its checkpoint and, on the next open, tell whether the data still goes
   * that far.
   */
  registerDurable?(store: DurableStore): void;
  /** Called by a store that reads ahead once per batch of input records (see `PrefetchingStore`). */
  registerPrefetching?(store: PrefetchingStore): void;
  /** Asks the task to commit soon: a store whose write-back buffer grew large wants a flush. */
  requestCommit?(): void;
  /**
   * Timestamp of the record being processed (or the punctuation time): change-logging stores stamp
   * their changelog records with it and caching stores remember it with each dirty entry, as Kafka
   * does with `context.timestamp()`.
   */
  recordTimestamp(): number;
  /**
   * Where the outer layer of a key-value store records how long each operation took (Kafka's
   * `stream-state-metrics`, DEBUG); absent, or answering undefined, when nothing is recorded.
   */
  storeSensors?(storeName: string, scope: StoreMetricsScope): StoreOperationRecorder | undefined;
}

/** The operations of a key-value store that are timed, named as in Kafka's state store metrics. */
export type StoreOperation = 'put' | 'put-if-absent' | 'put-all' | 'get' | 'delete' | 'range' | 'all' | 'prefix-scan' | 'flush' | 'restore';

/**
 * The store type part of the state store metrics' tag (`<scope>-state-id`): `in-memory`, or
 * `rocksdb` for persistent stores (LevelDB here), so dashboards built for Kafka Streams match.
 */
export type StoreMetricsScope = 'in-memory' | 'rocksdb';

/** Takes the latency of one store operation, in milliseconds. */
export interface StoreOperationRecorder {
  record(operation: StoreOperation, latencyMs: number): void;
}

/**
 * What a persistent store tells its task about the data on its disk: it numbers its durable
 * writes and keeps the number of the last one inside its own data, in the same synced write
 * batch, so the number read back on open is exactly as old as the data. A checkpoint that
 * recorded a higher number vouches for data the store no longer has (an emptied directory, a
 * write-ahead log cut short): the task then rebuilds the store from its changelog.
 */
export interface DurableStore {
  readonly name: string;
  /** The store's directory. */
  readonly location: string;
  /** Number of the last write made durable (synced to disk); 0 for a store that holds none. */
  durableWrites(): number;
}

/** Receives a store's writes as changelog records (bytes in, as they will be stored). */
export interface ChangelogSink {
  send(key: Buffer, value: Buffer | null, timestamp: number): void;
}

/**
 * One changelog record handed to a store being restored. `timestamp` is the record's timestamp: a
 * timestamped store rebuilds its 8-byte timestamp prefix from it, since its changelog values carry
 * the plain value only (Kafka's layout).
 */
export interface ChangelogRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

/** Applies a batch of changelog records to a store being restored. */
export type RestoreCallback = (records: ReadonlyArray<ChangelogRecord>) => void | Promise<void>;

/** Base of every store. `init`, `flush` and `close` may do I/O; reads and writes never await. */
export interface StateStore {
  readonly name: string;
  readonly persistent: boolean;
  init(context: StateStoreContext, root: StateStore): void | Promise<void>;
  flush(): void | Promise<void>;
  close(): void | Promise<void>;
  isOpen(): boolean;
}

/** A read-only view of a key-value store, as interactive queries and the test driver use it. */
export interface ReadOnlyKeyValueStore<K, V> {
  get(key: K): V | null;
  range(from: K | null, to: K | null): KeyValueIterator<K, V>;
  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V>;
  all(): KeyValueIterator<K, V>;
  reverseAll(): KeyValueIterator<K, V>;
  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V>;
  approximateNumEntries(): number;
}

/**
 * A typed key-value store (Kafka's KeyValueStore). `put(key, null)` deletes. Range bounds are
 * inclusive; `null` means unbounded on that side.
 */
export interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {
  put(key: K, value: V | null): void;
  putIfAbsent(key: K, value: V): V | null;
  putAll(entries: ReadonlyArray<KeyValue<K, V>>): void;
  delete(key: K): V | null;
}

/** A value with the timestamp of the record that last wrote it, as KTable stores keep values. */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/** Kafka's TimestampedKeyValueStore: the store behind every DSL KTable. */
export type TimestampedKeyValueStore<K, V> = KeyValueStore<K, ValueAndTimestamp<V>>;

/** The innermost layer: bytes in, bytes out, ordered by unsigned byte comparison of keys. */
export type KeyValueBytesStore = KeyValueStore<Buffer, Buffer>;

/**
 * A bytes store whose keys can be walked without reading values: window and session stores expire
 * whole time segments through it.
 */
export interface KeyScanningBytesStore extends KeyValueBytesStore {
  /** Calls `visit` with every key, in key order, over a snapshot (deleting meanwhile is safe). */
  forEachKey(visit: (key: Buffer) => void): void;
  /**
   * False once the store keeps its keys on disk only (a LevelDB store past
   * `statestore.key.index.max.keys`): `forEachKey` then blocks on the disk step by step, and the
   * two methods below do the same work asynchronously, as callers that can await should. A store
   * without this method keeps its keys in memory.
   */
  keysInMemory?(): boolean;
  /** Calls `visit` with every key, in key order, reading them from disk in batches. */
  forEachKeyAsync?(visit: (key: Buffer) => void): Promise<void>;
  /** Deletes, during the next flush, every stored key `matches` accepts (one pass over the keys on disk). */
  deleteMatchingAtFlush?(matches: (key: Buffer) => boolean): void;
  /**
   * While the keys are in memory: deletes now every key whose sort key (sort-key.ts) `matches`
   * accepts, in one pass over the key list; returns how many.
   */
  deleteKeysWhere(matches: (sortKey: string) => boolean): number;
}

/**
 * A bytes store that takes a whole page of restored changelog entries in one call (Kafka's
 * `restoreAll`, its batching restore callback), rather than one `put` each: a LevelDB store writes
 * the page to disk as one batch, bypassing its write-back buffer. Restore and standby updates use
 * it through `restoreEntries`; a store without it gets `put` calls.
 */
export interface BulkRestoringStore {
  /**
   * Applies `entries` in order (a null value deletes; a key may come more than once, the last
   * write wins), as that many `put` calls would. It may write them unsynced: the next `flush()`
   * makes them durable, so a checkpoint written after it never vouches for data a crash can lose.
   */
  restoreBatch(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void | Promise<void>;
}

/**
 * A store that keeps its data on disk and reads ahead, once per batch of input records, what the
 * batch will read (see `LevelDbKeyValueStore`). It registers itself with its task at `init`.
 */
export interface PrefetchingStore {
  readonly name: string;
  /** True when synchronous reads need a prefetch first (the store keeps no keys in memory). */
  needsPrefetch(): boolean;
  /** Reads ahead what records with these (serialized) keys will read. */
  prefetch(recordKeys: ReadonlyArray<Buffer>): Promise<void>;
}

/** Makes the innermost bytes store; `Stores.inMemoryKeyValueStore(name)` returns one. */
export interface KeyValueBytesStoreSupplier {
  readonly name: string;
  /** `dsl-default`: chosen at init by the `default.dsl.store` config. */
  readonly kind: 'in-memory' | 'leveldb' | 'dsl-default';
  get(): KeyValueBytesStore;
}

/**
 * Describes how to build a store with its layers (serdes outside, then caching, then change-logging,
 * then the bytes store). The topology keeps builders so every task builds its own store.
 */
export interface StoreBuilder<S extends StateStore = StateStore> {
  readonly name: string;
  readonly loggingEnabled: boolean;
  readonly cachingEnabled: boolean;
  /** Extra changelog topic configs (Kafka's `withLoggingEnabled(config)`). */
  readonly logConfig: Readonly<{ [key: string]: string }>;
  withCachingEnabled(): StoreBuilder<S>;
  withCachingDisabled(): StoreBuilder<S>;
  withLoggingEnabled(config?: { [key: string]: string }): StoreBuilder<S>;
  withLoggingDisabled(): StoreBuilder<S>;
  build(): S;
}

/**
 * Called when a caching store evicts or flushes a dirty entry: the DSL forwards it downstream,
 * which is how caching de-duplicates KTable updates. Values are deserialized; `oldValue` is what
 * the store held before the first un-flushed write to that key.
 */
export type CacheFlushListener<K, V> = (entry: {
  key: K;
  newValue: V | null;
  oldValue: V | null;
  timestamp: number;
}) => void;

/** A store that may sit behind a cache; the DSL registers a listener to forward flushed entries. */
export interface CachedStateStore<K, V> {
  /** Returns false when caching is off for this store (the caller then forwards directly). */
  setFlushListener(listener: CacheFlushListener<K, V>, sendOldValues: boolean): boolean;
}

/**
 * The task's record cache (Kafka's ThreadCache, per task here): bounded by
 * `statestore.cache.max.bytes`, shared by the task's caching stores; evicting a dirty entry
 * flushes it through its store's listener.
 */
export interface RecordCache {
  readonly maxBytes: number;
  /** Bytes held across all stores: key + value + a fixed per-entry overhead, as Kafka counts. */
  sizeBytes(): number;
  /** Number of entries held across all stores. */
  size(): number;
  /** Sets the function that receives a store's dirty entries when they are flushed or evicted. */
  setDirtyEntryFlushListener(storeName: string, listener: DirtyEntryFlushListener): void;
  /** The cached entry for `key` (refreshing its recency), or undefined on a miss. */
  get(storeName: string, key: Buffer): CacheEntry | undefined;
  /** Stores an entry and evicts least recently used entries of that store while over `maxBytes`. */
  put(storeName: string, key: Buffer, entry: CacheEntry): void;
  /**
   * Entries of a store with keys in [from, to] (null = unbounded; `to` excluded when `toInclusive`
   * is false, as prefix scans need), ascending; a snapshot that does not refresh recency.
   */
  range(storeName: string, from: Buffer | null, to: Buffer | null, toInclusive?: boolean): Array<CachedKeyValue>;
  /** Passes every dirty entry of the store to its listener, in the order they were last written. */
  flush(storeName: string): void;
  /** Drops the store's entries (flush first if they matter). */
  close(storeName: string): void;
}

/** A cached value: `value` null is a cached delete; `dirty` means not yet written to the store below. */
export interface CacheEntry {
  readonly value: Buffer | null;
  readonly dirty: boolean;
  /** Timestamp of the record that wrote it; the changelog record written at flush carries it. */
  readonly timestamp: number;
}

/** A cache entry with its key, as flushes and range scans return them. */
export interface CachedKeyValue {
  readonly key: Buffer;
  readonly entry: CacheEntry;
  /** The key as a sort key (sort-key.ts), when the cache has it at hand: scans compare by it. */
  readonly sortKey?: string;
}

/** Receives a store's dirty entries, in write order, when the cache flushes or evicts them. */
export type DirtyEntryFlushListener = (entries: ReadonlyArray<CachedKeyValue>) => void;

/** A window store iterator: keys are window start times, in time order. */
export type WindowStoreIterator<V> = KeyValueIterator<number, V>;

/**
 * A read-only view of a window store (Kafka's ReadOnlyWindowStore). Times are window starts in ms,
 * ranges are inclusive, and nothing older than the store's retention is returned. The key-range
 * forms take `null` for an unbounded side.
 */
export interface ReadOnlyWindowStore<K, V> {
  /** The value of `key`'s window starting at `time`, or null. */
  fetch(key: K, time: number): V | null;
  /** `key`'s windows starting in `[timeFrom, timeTo]`, oldest first. */
  fetch(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  /** Windows of keys in `[keyFrom, keyTo]` starting in `[timeFrom, timeTo]`, by key then time. */
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  backwardFetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  /** Every window of every key starting in `[timeFrom, timeTo]`. */
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  backwardFetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  all(): KeyValueIterator<Windowed<K>, V>;
  backwardAll(): KeyValueIterator<Windowed<K>, V>;
}

/** Kafka's WindowStore: values per (key, window start); `put(key, null, start)` deletes. */
export interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {
  put(key: K, value: V | null, windowStartTimestamp: number): void;
}

/** Kafka's TimestampedWindowStore: the store behind DSL windowed aggregations. */
export type TimestampedWindowStore<K, V> = WindowStore<K, ValueAndTimestamp<V>>;

/**
 * A read-only view of a session store (Kafka's ReadOnlySessionStore). Sessions are `[start, end]`
 * windows of a key; nothing that ended before the store's retention is returned.
 */
export interface ReadOnlySessionStore<K, AGG> {
  /** The aggregate of exactly the session `[sessionStartTime, sessionEndTime]` of `key`, or null. */
  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): AGG | null;
  /** Sessions of `key` ending at or after `earliestSessionEndTime` and starting at or before `latestSessionStartTime`. */
  findSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  /** Every session of `key` (or of keys in `[keyFrom, keyTo]`). */
  fetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  fetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
}

/** Kafka's SessionStore: one aggregate per session of a key. */
export interface SessionStore<K, AGG> extends StateStore, ReadOnlySessionStore<K, AGG> {
  /** Stores the session's aggregate; null removes it. */
  put(sessionKey: Windowed<K>, aggregate: AGG | null): void;
  remove(sessionKey: Windowed<K>): void;
}

/** Makes the innermost bytes store of a window store, with the window layout's settings. */
export interface WindowBytesStoreSupplier extends KeyValueBytesStoreSupplier {
  readonly retentionPeriod: number;
  readonly windowSize: number;
  /** Keeps every put of one (key, window start) apart instead of overwriting: stream-stream join buffers. */
  readonly retainDuplicates: boolean;
  /** Expired data is dropped one segment (a span of this many ms) at a time. */
  readonly segmentInterval: number;
}

/** Makes the innermost bytes store of a session store. */
export interface SessionBytesStoreSupplier extends KeyValueBytesStoreSupplier {
  readonly retentionPeriod: number;
  readonly segmentInterval: number;
}
