import { windowed } from '../serde/index.ts';
import type { Serde, Windowed } from '../serde/index.ts';
import type {
  CachedStateStore, ChangelogRecord, KeyValueIterator, StateStore, TimestampedWindowStore, ValueAndTimestamp, WindowStore, WindowStoreIterator,
} from './api.ts';
import { LayeredStore } from './layered-store.ts';
import { emptyKeyValueIterator, filterMapKeyValueIterator } from './key-value-iterators.ts';
import type { KeyValueStoreLayers } from './metered-key-value-store.ts';
import { restoreEntries } from './restore-entries.ts';
import { withTimestamp } from './timestamped-bytes.ts';
import { ValueAndTimestampSerde } from './value-and-timestamp-serde.ts';
import { StoreSerdes } from './window-store-serdes.ts';
import { MAX_TIME, WINDOW_SUFFIX_BYTES, windowKeyOf, windowLowerBound, windowStoreKey, windowTimeOf, windowUpperBound } from './window-key-schema.ts';

/** What a window store is: its window size (for `Windowed` ends), retention and duplicate handling. */
export interface WindowStoreShape {
  readonly windowSize: number;
  readonly retentionPeriod: number;
  readonly retainDuplicates: boolean;
}

/**
 * The outer layer of a window store (Kafka's MeteredWindowStore): typed keys and values over a
 * bytes stack whose keys are `[key][window start][sequence]` (window-key-schema.ts), so a fetch of
 * one key over a time range is one ordered range scan of the layers below (cache merged with the
 * store). Expired windows are hidden by the segmented bytes store below the cache, not here: like
 * Kafka's, a window still held by the record cache is found after it expired. With `retainDuplicates` every put is kept under its own sequence number
 * (and a null put is ignored), as stream-stream join buffers need.
 *
 * @example
 * const store = Stores.windowStoreBuilder(Stores.inMemoryWindowStore('w', 86_400_000, 60_000, false), Serdes.String(), Serdes.Long()).build();
 * store.put('alice', 3, 120_000);
 * store.fetch('alice', 120_000); // 3
 */
export class MeteredWindowStore<K, V> extends LayeredStore<Windowed<K>, V> implements WindowStore<K, V>, CachedStateStore<Windowed<K>, V> {
  private readonly keys: StoreSerdes<K, V>;
  private sequence = 0;
  /**
   * The last single-window key built, and what it was built from: an aggregation fetches a window
   * and then puts the same one, so the put reuses the Buffer (and the cache its lookup of it).
   */
  private lastWindowKey: Buffer | undefined;
  private lastWindowKeyBytes: Buffer | undefined;
  private lastWindowStart = -1;

  constructor(
    layers: KeyValueStoreLayers,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<unknown> | undefined,
    readonly shape: WindowStoreShape,
  ) {
    // The value serde is chosen when the store is initialised; subclasses may wrap it.
    const serdes: StoreSerdes<K, V> = new StoreSerdes<K, V>(layers.top.name, keySerde, valueSerde, (resolved) => this.storeValueSerde(resolved));
    super(layers, serdes as StoreSerdes<unknown, V>);
    this.keys = serdes;
  }

  put(key: K, value: V | null, windowStartTimestamp: number): void {
    if (this.shape.retainDuplicates) {
      if (value === null) return;
      this.sequence = (this.sequence + 1) & 0x7fff_ffff;
    }
    const keyBytes = this.keys.keyBytes(key);
    const storeKey = this.shape.retainDuplicates ? windowStoreKey(keyBytes, windowStartTimestamp, this.sequence) : this.windowKey(keyBytes, windowStartTimestamp);
    this.layers.top.put(storeKey, this.serdes.valueBytes(value));
  }

  /** The store key of the window of `keyBytes` starting at `start` in a store without duplicates. */
  private windowKey(keyBytes: Buffer, start: number): Buffer {
    if (keyBytes === this.lastWindowKeyBytes && start === this.lastWindowStart) return this.lastWindowKey!;
    const storeKey = windowStoreKey(keyBytes, start, 0);
    this.lastWindowKey = storeKey;
    this.lastWindowKeyBytes = keyBytes;
    this.lastWindowStart = start;
    return storeKey;
  }

  fetch(key: K, time: number): V | null;
  fetch(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  fetch(a: K | null, b: unknown, c?: number, d?: number): V | null | WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    if (d !== undefined) return this.fetchKeyRange(a, b as K | null, c!, d, false);
    if (c !== undefined) return this.fetchKey(a as K, b as number, c, false);
    return this.serdes.valueFrom(this.layers.top.get(this.windowKey(this.keys.keyBytes(a as K), b as number)));
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  backwardFetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(a: K | null, b: unknown, c: number, d?: number): WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    if (d !== undefined) return this.fetchKeyRange(a, b as K | null, c, d, true);
    return this.fetchKey(a as K, b as number, c, true);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.fetchKeyRange(null, null, timeFrom, timeTo, false);
  }

  backwardFetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.fetchKeyRange(null, null, timeFrom, timeTo, true);
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.fetchAll(0, MAX_TIME);
  }

  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return this.backwardFetchAll(0, MAX_TIME);
  }

  /** The serde of the stored value given the plain one; the timestamped store wraps it. */
  protected storeValueSerde(resolved: Serde<unknown>): Serde<V> {
    return resolved as Serde<V>;
  }

  /** The bytes a changelog record's value becomes in the store; the timestamped store prefixes the time. */
  protected restoredValue(record: ChangelogRecord): Buffer | null {
    return record.value;
  }

  private fetchKey(key: K, timeFrom: number, timeTo: number, backward: boolean): WindowStoreIterator<V> {
    const keyBytes = this.keys.keyBytes(key);
    const from = Math.max(timeFrom, 0);
    if (from > timeTo) return emptyKeyValueIterator();
    const lower = windowLowerBound(keyBytes, from);
    const upper = windowUpperBound(keyBytes, timeTo);
    const entries = backward ? this.layers.top.reverseRange(lower, upper) : this.layers.top.range(lower, upper);
    const serdes = this.serdes;
    const keyLength = keyBytes.length;
    return filterMapKeyValueIterator(entries, ({ key: storeKey, value }) =>
      // A longer key with this key as its prefix can sort inside the range: skip its entries.
      storeKey.length !== lower.length || keyBytes.compare(storeKey, 0, keyLength) !== 0
        ? undefined
        : { key: windowTimeOf(storeKey), value: serdes.valueFrom(value)! });
  }

  private fetchKeyRange(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number, backward: boolean): KeyValueIterator<Windowed<K>, V> {
    const fromBytes = keyFrom === null ? null : this.keys.keyBytes(keyFrom);
    const toBytes = keyTo === null ? null : this.keys.keyBytes(keyTo);
    const from = Math.max(timeFrom, 0);
    if (from > timeTo) return emptyKeyValueIterator();
    const lower = fromBytes === null ? null : windowLowerBound(fromBytes, from);
    const upper = toBytes === null ? null : windowUpperBound(toBytes, timeTo);
    const entries = backward ? this.layers.top.reverseRange(lower, upper) : this.layers.top.range(lower, upper);
    const serdes = this.serdes;
    const size = this.shape.windowSize;
    const onlyKey = this.keys.singleKeyReader(fromBytes, toBytes);
    return filterMapKeyValueIterator(entries, ({ key: storeKey, value }) => {
      const time = windowTimeOf(storeKey);
      if (time < from || time > timeTo) return undefined;
      const keyEnd = storeKey.length - WINDOW_SUFFIX_BYTES;
      if (fromBytes !== null && fromBytes.compare(storeKey, 0, keyEnd) > 0) return undefined;
      if (toBytes !== null && toBytes.compare(storeKey, 0, keyEnd) < 0) return undefined;
      const key = onlyKey?.();
      return { key: key === undefined ? this.windowedKeyOf(storeKey) : windowed(key, time, time + size), value: serdes.valueFrom(value)! };
    });
  }

  protected typedKeyOf(storeKey: Buffer): Windowed<K> {
    return this.windowedKeyOf(storeKey);
  }

  private windowedKeyOf(storeKey: Buffer): Windowed<K> {
    const start = windowTimeOf(storeKey);
    return windowed(this.keys.keyFrom(windowKeyOf(storeKey)), start, start + this.shape.windowSize);
  }

  protected restore(records: ReadonlyArray<ChangelogRecord>): void | Promise<void> {
    return restoreEntries(this.layers.bytes, records.map((record) => ({ key: record.key, value: this.restoredValue(record) })));
  }
}

/**
 * Kafka's timestamped window store, behind DSL windowed aggregations: each window's value is kept
 * with the timestamp of the newest record in it, in Kafka's layout (8-byte timestamp, then the
 * value); its changelog carries the plain value with that timestamp as the record timestamp.
 *
 * @example
 * store.put('alice', { value: 3, timestamp: record.timestamp }, windowStart);
 */
export class MeteredTimestampedWindowStore<K, V> extends MeteredWindowStore<K, ValueAndTimestamp<V>> implements TimestampedWindowStore<K, V> {
  protected override storeValueSerde(resolved: Serde<unknown>): Serde<ValueAndTimestamp<V>> {
    return new ValueAndTimestampSerde(resolved as Serde<V>);
  }

  protected override restoredValue(record: ChangelogRecord): Buffer | null {
    return record.value === null ? null : withTimestamp(record.value, record.timestamp);
  }
}

/**
 * True when `store` is a window store built by `Stores` (or by the DSL); the test driver uses it.
 *
 * @example
 * if (isWindowStore(store)) store.fetch('alice', 0);
 */
export function isWindowStore(store: StateStore): store is WindowStore<unknown, unknown> {
  return store instanceof MeteredWindowStore;
}

/** True when `store` keeps ValueAndTimestamp values in its windows. */
export function isTimestampedWindowStore(store: StateStore): store is TimestampedWindowStore<unknown, unknown> {
  return store instanceof MeteredTimestampedWindowStore;
}
