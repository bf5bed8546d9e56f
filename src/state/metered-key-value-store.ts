import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type {
  CachedStateStore, CacheFlushListener, ChangelogRecord, KeyValue, KeyValueBytesStore, KeyValueIterator,
  KeyValueStore, StateStore, StateStoreContext, StoreOperation, StoreOperationRecorder,
} from './api.ts';
import type { CachingKeyValueStore } from './caching-key-value-store.ts';
import { mapKeyValueIterator } from './key-value-iterators.ts';
import { restoreEntries } from './restore-entries.ts';
import { BYTES_PASSTHROUGH, resolveStoreSerde } from './store-serdes.ts';

/** The layers a typed store sits on, as its builder assembled them. */
export interface KeyValueStoreLayers {
  /** The top of the bytes stack (caching, change-logging or the bytes store itself). */
  readonly top: KeyValueBytesStore;
  /** The innermost bytes store: restoration writes here, bypassing cache and changelog. */
  readonly bytes: KeyValueBytesStore;
  /** The caching layer, when the builder enabled caching. */
  readonly caching: CachingKeyValueStore | undefined;
}

/**
 * The outer layer of a key-value store (Kafka's MeteredKeyValueStore): turns typed keys and values
 * into bytes with the store's serdes (the builder's, else the default serdes from the config,
 * resolved at init) and registers the store for restoration from its changelog. Serdes are called
 * with the changelog topic name, `<application.id>-<store>-changelog`, as in Kafka.
 * Builders assemble it; users meet it as the `KeyValueStore` that `build()` returns. When the
 * task records store metrics (DEBUG), it times every operation here, as Kafka's metered layer does.
 *
 * @example
 * const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), stringSerde, longSerde).build();
 * await store.init(context, store); // done by the task
 * store.put('alice', 3);
 */
export class MeteredKeyValueStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {
  private lastKey: unknown = undefined;
  private lastKeyBytes: Buffer | undefined;
  private keySerde: Serde<K> | undefined;
  private valueSerde: Serde<V> | undefined;
  private topic = '';
  private sensors: StoreOperationRecorder | undefined;

  constructor(
    protected readonly layers: KeyValueStoreLayers,
    private readonly givenKeySerde: Serde<K> | undefined,
    private readonly givenValueSerde: Serde<unknown> | undefined,
  ) {}

  get name(): string {
    return this.layers.top.name;
  }

  get persistent(): boolean {
    return this.layers.top.persistent;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.keySerde = resolveStoreSerde(this.givenKeySerde, 'key', this.name, context);
    this.valueSerde = this.storeValueSerde(resolveStoreSerde(this.givenValueSerde, 'value', this.name, context));
    this.topic = `${context.applicationId}-${this.name}-changelog`;
    this.sensors = context.storeSensors?.(this.name, this.layers.bytes.persistent ? 'rocksdb' : 'in-memory');
    const initialised = this.layers.top.init(context, root);
    context.register(root, (records) => this.restore(records));
    return initialised;
  }

  flush(): void | Promise<void> {
    const started = this.startTimer();
    const flushed = this.layers.top.flush();
    if (flushed instanceof Promise && this.sensors !== undefined) return flushed.then(() => this.stopTimer('flush', started));
    this.stopTimer('flush', started);
    return flushed;
  }

  close(): void | Promise<void> {
    return this.layers.top.close();
  }

  isOpen(): boolean {
    return this.layers.top.isOpen();
  }

  setFlushListener(listener: CacheFlushListener<K, V>, sendOldValues: boolean): boolean {
    const caching = this.layers.caching;
    if (caching === undefined) return false;
    return caching.setFlushListener((key, newValue, oldValue, timestamp) => {
      listener({ key: this.keyFrom(key), newValue: this.valueFrom(newValue), oldValue: this.valueFrom(oldValue), timestamp });
    }, sendOldValues);
  }

  get(key: K): V | null {
    const started = this.startTimer();
    const value = this.valueFrom(this.layers.top.get(this.keyBytes(key)));
    this.stopTimer('get', started);
    return value;
  }

  put(key: K, value: V | null): void {
    const started = this.startTimer();
    this.layers.top.put(this.keyBytes(key), this.valueBytes(value));
    this.stopTimer('put', started);
  }

  putIfAbsent(key: K, value: V): V | null {
    const started = this.startTimer();
    const valueBytes = this.valueBytes(value);
    if (valueBytes === null) throw this.nullValueError('putIfAbsent');
    const previous = this.valueFrom(this.layers.top.putIfAbsent(this.keyBytes(key), valueBytes));
    this.stopTimer('put-if-absent', started);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<K, V>>): void {
    const started = this.startTimer();
    // A null value deletes, as in put().
    for (const entry of entries) this.layers.top.put(this.keyBytes(entry.key), this.valueBytes(entry.value));
    this.stopTimer('put-all', started);
  }

  delete(key: K): V | null {
    const started = this.startTimer();
    const previous = this.valueFrom(this.layers.top.delete(this.keyBytes(key)));
    this.stopTimer('delete', started);
    return previous;
  }

  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    const started = this.startTimer();
    const iterator = this.typed(this.layers.top.range(this.boundBytes(from), this.boundBytes(to)));
    this.stopTimer('range', started);
    return iterator;
  }

  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return this.typed(this.layers.top.reverseRange(this.boundBytes(from), this.boundBytes(to)));
  }

  all(): KeyValueIterator<K, V> {
    const started = this.startTimer();
    const iterator = this.typed(this.layers.top.all());
    this.stopTimer('all', started);
    return iterator;
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.typed(this.layers.top.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V> {
    const started = this.startTimer();
    const prefixBytes = prefixKeySerde.serialize(this.topic, prefix) ?? Buffer.alloc(0);
    const iterator = this.typed(this.layers.top.prefixScan(prefixBytes, BYTES_PASSTHROUGH));
    this.stopTimer('prefix-scan', started);
    return iterator;
  }

  approximateNumEntries(): number {
    return this.layers.top.approximateNumEntries();
  }

  /** The store's value serde given the resolved plain one; the timestamped store wraps it. */
  protected storeValueSerde(resolved: Serde<unknown>): Serde<V> {
    return resolved as Serde<V>;
  }

  /** The entries changelog records become in the store; the timestamped store prefixes each value with its time. */
  protected restoredEntries(records: ReadonlyArray<ChangelogRecord>): ReadonlyArray<KeyValue<Buffer, Buffer | null>> {
    return records;
  }

  /** Replays a page of changelog records straight into the bytes store (in one batch when it can): no cache, no new changelog records. */
  private restore(records: ReadonlyArray<ChangelogRecord>): void | Promise<void> {
    const started = this.startTimer();
    const restored = restoreEntries(this.layers.bytes, this.restoredEntries(records));
    if (restored instanceof Promise) return restored.then(() => this.stopTimer('restore', started));
    this.stopTimer('restore', started);
  }

  /** The time an operation starts, when operations are timed (0 otherwise: no clock read). */
  private startTimer(): number {
    return this.sensors === undefined ? 0 : performance.now();
  }

  private stopTimer(operation: StoreOperation, started: number): void {
    if (this.sensors !== undefined) this.sensors.record(operation, performance.now() - started);
  }

  private typed(iterator: KeyValueIterator<Buffer, Buffer>): KeyValueIterator<K, V> {
    return mapKeyValueIterator(iterator, (entry) => ({ key: this.keyFrom(entry.key), value: this.valueFrom(entry.value)! }));
  }

  private keyBytes(key: K): Buffer {
    // An update is a get then a put of the same key: serialize it once. Bytes are never mutated
    // by the layers below, so sharing them is safe; only primitive keys are remembered.
    if (key === this.lastKey && this.lastKeyBytes !== undefined) return this.lastKeyBytes;
    const serde = this.keySerde ?? this.notInitialised();
    const bytes = key === null || key === undefined ? null : serde.serialize(this.topic, key);
    if (bytes === null) {
      throw new StreamsError('INVALID_ARGUMENT', `state store "${this.name}" cannot take a null key; ` +
        'filter out records with null keys before the stateful step, or give them a key with selectKey/map');
    }
    if (typeof key !== 'object') {
      this.lastKey = key;
      this.lastKeyBytes = bytes;
    }
    return bytes;
  }

  private boundBytes(bound: K | null): Buffer | null {
    return bound === null ? null : this.keyBytes(bound);
  }

  private valueBytes(value: V | null): Buffer | null {
    return value === null ? null : (this.valueSerde ?? this.notInitialised()).serialize(this.topic, value);
  }

  private keyFrom(bytes: Buffer): K {
    return (this.keySerde ?? this.notInitialised()).deserialize(this.topic, bytes) as K;
  }

  private valueFrom(bytes: Buffer | null): V | null {
    return bytes === null ? null : (this.valueSerde ?? this.notInitialised()).deserialize(this.topic, bytes);
  }

  private notInitialised(): never {
    throw new StreamsError('STORE_CLOSED', `state store "${this.name}" is used before it was initialised; ` +
      'access stores from a processor\'s init or process, after the task initialised them');
  }

  private nullValueError(operation: string): StreamsError {
    return new StreamsError('INVALID_ARGUMENT', `${operation} on state store "${this.name}" needs a non-null value; use delete() to remove a key`);
  }
}

/**
 * True when `store` can sit behind a record cache and take a flush listener (every key-value,
 * window and session store built by `Stores`); the DSL checks it before calling `setFlushListener`.
 *
 * @example
 * if (isCachedStateStore(store) && store.setFlushListener(forward, sendOldValues)) return; // cache forwards
 */
export function isCachedStateStore(store: StateStore): store is StateStore & CachedStateStore<unknown, unknown> {
  return typeof (store as Partial<CachedStateStore<unknown, unknown>>).setFlushListener === 'function';
}
