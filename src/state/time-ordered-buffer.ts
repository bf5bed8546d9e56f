import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { ChangelogSink, StateStore, StateStoreContext, StoreBuilder } from './api.ts';
import { decodeBufferEntry, encodeBufferEntry } from './buffer-entry-codec.ts';
import type { BufferEntryBytes, BufferedHeader } from './buffer-entry-codec.ts';
import { fromSortKey, toSortKey } from './sort-key.ts';
import { SortedKeyList } from './sorted-key-list.ts';
import { StoreSerdes } from './window-store-serdes.ts';

/** One buffered update, as the suppress processor emits it. */
export interface BufferedRecord<K, V> {
  readonly key: K;
  /** What downstream last saw for the key. */
  readonly priorValue: V | null;
  /** The old value of the latest update: the emitted change's old value, as in Kafka Streams. */
  readonly oldValue: V | null;
  readonly newValue: V | null;
  /** Timestamp of the latest update; the emitted record carries it. */
  readonly timestamp: number;
  /** Headers of the latest update; the emitted record carries them. */
  readonly headers: readonly BufferedHeader[];
  /** The time the buffer orders by (window end, or record timestamp). */
  readonly time: number;
}

interface Entry extends BufferEntryBytes {
  readonly keyBytes: Buffer;
}

/** Bytes an entry is counted as: key, values, and a fixed overhead (times and bookkeeping). */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * The buffer behind `suppress` (Kafka's in-memory time-ordered key-value buffer): one entry per
 * key holding the latest update and the value downstream last saw, evicted in buffer-time order.
 * It is a state store with a changelog: at each flush (commit) the entries changed since are logged
 * and evicted ones are logged as tombstones, so after a restart the restored buffer holds exactly
 * the updates not yet emitted — a final result is neither lost nor emitted twice.
 *
 * @example
 * buffer.put(windowEnd, key, { priorValue: null, newValue: count }, record.timestamp);
 * buffer.evictWhile((next) => next.time <= streamTime - grace, (entry) => forward(entry));
 */
export class TimeOrderedKeyValueBuffer<K, V> implements StateStore {
  readonly persistent = false;
  private readonly serdes: StoreSerdes<K, V>;
  private readonly entries = new Map<string, Entry>();
  /** `<time, 16 hex digits><key sort key>` for every entry: the first is the next to evict. */
  private readonly order = new SortedKeyList();
  private readonly dirty = new Set<string>();
  private sink: ChangelogSink | undefined;
  private context: StateStoreContext | undefined;
  private bytes = 0;
  private open = false;

  constructor(
    readonly name: string,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    private readonly logging: boolean,
    wrapDefaultKeySerde?: (resolved: Serde<unknown>) => Serde<K>,
  ) {
    this.serdes = new StoreSerdes<K, V>(name, keySerde, valueSerde, (resolved) => resolved as Serde<V>, wrapDefaultKeySerde);
  }

  init(context: StateStoreContext, root: StateStore): void {
    this.serdes.init(context);
    this.context = context;
    this.sink = this.logging ? context.changelogSinkFor(this.name) : undefined;
    context.register(root, (records) => {
      for (const { key, value } of records) {
        const sortKey = toSortKey(key);
        if (value === null) this.remove(sortKey);
        else this.insert(sortKey, { keyBytes: key, ...decodeBufferEntry(value, this.name) });
      }
    });
    this.open = true;
  }

  /** Number of buffered keys. */
  numRecords(): number {
    return this.entries.size;
  }

  /** Bytes the buffer is counted as holding. */
  bufferSize(): number {
    return this.bytes;
  }

  /**
   * Buffers the latest update of `key` (its new and old value). A key already buffered keeps its prior value (what
   * downstream last saw) and its buffer time — the time it first entered the buffer, so a key
   * updated again and again is still emitted when that time is due (Kafka's non-resetting
   * semantics); a new key's prior value is `oldValue` and its buffer time `time`.
   */
  put(time: number, key: K, change: { newValue: V | null; oldValue: V | null }, timestamp: number, headers: readonly BufferedHeader[] = []): void {
    this.assertOpen();
    const keyBytes = this.serdes.keyBytes(key);
    const sortKey = toSortKey(keyBytes);
    const existing = this.entries.get(sortKey);
    const priorValue = existing === undefined ? this.serdes.valueBytes(change.oldValue) : existing.priorValue;
    const bufferTime = existing === undefined ? time : existing.time;
    this.remove(sortKey);
    const oldValue = existing === undefined ? priorValue : this.serdes.valueBytes(change.oldValue);
    this.insert(sortKey, { keyBytes, time: bufferTime, timestamp, priorValue, oldValue, newValue: this.serdes.valueBytes(change.newValue), headers });
    this.dirty.add(sortKey);
  }

  /**
   * What downstream last saw for `key` while an update of it is held back: `{ value }` (null when
   * downstream saw no row), or undefined when nothing of the key is buffered. A suppressed table's
   * joins read rows through this, as Kafka's suppression view does.
   */
  priorValueForBuffered(key: K): { readonly value: V | null } | undefined {
    this.assertOpen();
    const entry = this.entries.get(toSortKey(this.serdes.keyBytes(key)));
    return entry === undefined ? undefined : { value: this.serdes.valueFrom(entry.priorValue) };
  }

  /** Emits and removes entries, oldest buffer time first, while `condition` holds for the next one. */
  evictWhile(condition: (next: BufferedRecord<K, V>) => boolean, emit: (record: BufferedRecord<K, V>) => void): void {
    this.assertOpen();
    for (let first = this.order.first(); first !== undefined; first = this.order.first()) {
      const sortKey = first.slice(16);
      const record = this.typed(this.entries.get(sortKey)!);
      if (!condition(record)) return;
      this.remove(sortKey);
      this.dirty.add(sortKey);
      emit(record);
    }
  }

  flush(): void {
    if (this.sink !== undefined) {
      for (const sortKey of this.dirty) {
        const entry = this.entries.get(sortKey);
        const timestamp = entry?.timestamp ?? this.context!.recordTimestamp();
        this.sink.send(fromSortKey(sortKey), entry === undefined ? null : encodeBufferEntry(entry), timestamp);
      }
    }
    this.dirty.clear();
  }

  close(): void {
    this.open = false;
    this.entries.clear();
    this.order.clear();
    this.dirty.clear();
    this.bytes = 0;
  }

  isOpen(): boolean {
    return this.open;
  }

  private insert(sortKey: string, entry: Entry): void {
    this.remove(sortKey);
    this.entries.set(sortKey, entry);
    this.order.add(orderKey(entry.time, sortKey));
    this.bytes += sizeOf(entry);
  }

  private remove(sortKey: string): void {
    const entry = this.entries.get(sortKey);
    if (entry === undefined) return;
    this.entries.delete(sortKey);
    this.order.delete(orderKey(entry.time, sortKey));
    this.bytes -= sizeOf(entry);
  }

  private typed(entry: Entry): BufferedRecord<K, V> {
    return {
      key: this.serdes.keyFrom(entry.keyBytes),
      priorValue: this.serdes.valueFrom(entry.priorValue),
      oldValue: this.serdes.valueFrom(entry.oldValue),
      newValue: this.serdes.valueFrom(entry.newValue),
      timestamp: entry.timestamp,
      headers: entry.headers,
      time: entry.time,
    };
  }

  private assertOpen(): void {
    if (!this.open) throw new StreamsError('STORE_CLOSED', `suppression buffer "${this.name}" is not open; use it only between its init and close`);
  }
}

function orderKey(time: number, sortKey: string): string {
  // Buffer times are non-negative; 16 hex digits keep string order equal to numeric order.
  return Math.max(0, time).toString(16).padStart(16, '0') + sortKey;
}

function sizeOf(entry: Entry): number {
  const oldValueBytes = entry.oldValue === entry.priorValue ? 0 : (entry.oldValue?.length ?? 0);
  return entry.keyBytes.length + (entry.priorValue?.length ?? 0) + oldValueBytes + (entry.newValue?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
}

/**
 * Builds a suppression buffer per task; logging on by default (its changelog is what makes
 * suppression survive restarts), never cached.
 */
export class TimeOrderedBufferBuilder<K, V> implements StoreBuilder<TimeOrderedKeyValueBuffer<K, V>> {
  loggingEnabled = true;
  readonly cachingEnabled = false;
  logConfig: Readonly<{ [key: string]: string }> = {};

  constructor(
    readonly name: string,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
    /** Turns `default.key.serde` into the buffer's key serde when none was given (windowed keys). */
    private readonly wrapDefaultKeySerde?: (resolved: Serde<unknown>) => Serde<K>,
  ) {}

  withCachingEnabled(): this {
    return this;
  }

  withCachingDisabled(): this {
    return this;
  }

  withLoggingEnabled(config: { [key: string]: string } = {}): this {
    this.loggingEnabled = true;
    this.logConfig = { ...config };
    return this;
  }

  withLoggingDisabled(): this {
    this.loggingEnabled = false;
    return this;
  }

  build(): TimeOrderedKeyValueBuffer<K, V> {
    return new TimeOrderedKeyValueBuffer(this.name, this.keySerde, this.valueSerde, this.loggingEnabled, this.wrapDefaultKeySerde);
  }
}
