import { windowed } from '../serde/index.ts';
import type { Serde, Windowed } from '../serde/index.ts';
import type { CachedStateStore, ChangelogRecord, KeyValueIterator, SessionStore, StateStore } from './api.ts';
import { LayeredStore } from './layered-store.ts';
import { filterMapKeyValueIterator } from './key-value-iterators.ts';
import type { KeyValueStoreLayers } from './metered-key-value-store.ts';
import { restoreEntries } from './restore-entries.ts';
import { StoreSerdes } from './window-store-serdes.ts';
import { MAX_TIME, SESSION_SUFFIX_BYTES, sessionEndOf, sessionKeyOf, sessionStartOf, sessionStoreKey } from './window-key-schema.ts';

/**
 * The outer layer of a session store (Kafka's MeteredSessionStore): one aggregate per session
 * `[start, end]` of a key, over a bytes stack whose keys are `[key][end][start]`
 * (window-key-schema.ts), so the sessions of one key that end at or after some time are one ordered
 * range. Sessions that ended more than the retention before the newest session end seen are gone,
 * hidden by the segmented bytes store below the cache: like Kafka's, a session still held by the
 * record cache is found after it expired.
 *
 * @example
 * const store = Stores.sessionStoreBuilder(Stores.inMemorySessionStore('s', 86_400_000), Serdes.String(), Serdes.Long()).build();
 * store.put(windowed('alice', 0, 10_000), 2);
 * [...store.findSessions('alice', 5_000, 20_000)]; // [{ key: [alice@0/10000], value: 2 }]
 */
export class MeteredSessionStore<K, AGG> extends LayeredStore<Windowed<K>, AGG> implements SessionStore<K, AGG>, CachedStateStore<Windowed<K>, AGG> {
  private readonly keys: StoreSerdes<K, AGG>;
  /**
   * The last session a scan returned and its store key: a session aggregation removes the session
   * it just found when a record extends it, and the removal reuses the key instead of building it.
   */
  private lastFound: Windowed<K> | undefined;
  private lastFoundStoreKey: Buffer | undefined;

  constructor(
    layers: KeyValueStoreLayers,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<AGG> | undefined,
    readonly retentionPeriod: number,
  ) {
    const serdes = new StoreSerdes<K, AGG>(layers.top.name, keySerde, valueSerde, (resolved) => resolved as Serde<AGG>);
    super(layers, serdes as StoreSerdes<unknown, AGG>);
    this.keys = serdes;
  }

  put(sessionKey: Windowed<K>, aggregate: AGG | null): void {
    const { start, end } = sessionKey.window;
    const storeKey = sessionKey === this.lastFound ? this.lastFoundStoreKey! : sessionStoreKey(this.keys.keyBytes(sessionKey.key), start, end);
    this.layers.top.put(storeKey, this.serdes.valueBytes(aggregate));
  }

  remove(sessionKey: Windowed<K>): void {
    this.put(sessionKey, null);
  }

  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): AGG | null {
    return this.serdes.valueFrom(this.layers.top.get(sessionStoreKey(this.keys.keyBytes(key), sessionStartTime, sessionEndTime)));
  }

  findSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  findSessions(a: K | null, b: unknown, c: number, d?: number): KeyValueIterator<Windowed<K>, AGG> {
    return d === undefined ? this.find(a, a, b as number, c, false) : this.find(a, b as K | null, c, d, false);
  }

  backwardFindSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(keyFrom: K | null, keyTo: K | null, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, AGG>;
  backwardFindSessions(a: K | null, b: unknown, c: number, d?: number): KeyValueIterator<Windowed<K>, AGG> {
    return d === undefined ? this.find(a, a, b as number, c, true) : this.find(a, b as K | null, c, d, true);
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  fetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  fetch(keyFrom: K | null, keyTo?: K | null): KeyValueIterator<Windowed<K>, AGG> {
    return this.find(keyFrom, keyTo === undefined ? keyFrom : keyTo, 0, MAX_TIME, false);
  }

  backwardFetch(key: K): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(keyFrom: K | null, keyTo: K | null): KeyValueIterator<Windowed<K>, AGG>;
  backwardFetch(keyFrom: K | null, keyTo?: K | null): KeyValueIterator<Windowed<K>, AGG> {
    return this.find(keyFrom, keyTo === undefined ? keyFrom : keyTo, 0, MAX_TIME, true);
  }

  private find(keyFrom: K | null, keyTo: K | null, earliestEnd: number, latestStart: number, backward: boolean): KeyValueIterator<Windowed<K>, AGG> {
    const fromBytes = keyFrom === null ? null : this.keys.keyBytes(keyFrom);
    const toBytes = keyTo === null ? null : this.keys.keyBytes(keyTo);
    // Expired sessions still in the record cache are found (and merge, with no tombstone), as in Kafka.
    const endFrom = Math.max(earliestEnd, 0);
    const lower = fromBytes === null ? null : sessionStoreKey(fromBytes, 0, endFrom);
    const upper = toBytes === null ? null : sessionStoreKey(toBytes, MAX_TIME, MAX_TIME);
    const entries = backward ? this.layers.top.reverseRange(lower, upper) : this.layers.top.range(lower, upper);
    const serdes = this.serdes;
    const onlyKey = this.keys.singleKeyReader(fromBytes, toBytes);
    return filterMapKeyValueIterator(entries, ({ key: storeKey, value }) => {
      if (sessionEndOf(storeKey) < endFrom || sessionStartOf(storeKey) > latestStart) return undefined;
      // Range bounds are byte-wise: a key with another key as its prefix can fall inside them.
      const keyEnd = storeKey.length - SESSION_SUFFIX_BYTES;
      if (fromBytes !== null && fromBytes.compare(storeKey, 0, keyEnd) > 0) return undefined;
      if (toBytes !== null && toBytes.compare(storeKey, 0, keyEnd) < 0) return undefined;
      const key = onlyKey?.();
      const session = key === undefined ? this.sessionOf(storeKey) : windowed(key, sessionStartOf(storeKey), sessionEndOf(storeKey));
      // Only for primitive keys: an object key could be changed by its holder before the removal.
      if (typeof session.key !== 'object') {
        this.lastFound = session;
        this.lastFoundStoreKey = storeKey;
      }
      return { key: session, value: serdes.valueFrom(value)! };
    });
  }

  protected typedKeyOf(storeKey: Buffer): Windowed<K> {
    return this.sessionOf(storeKey);
  }

  private sessionOf(storeKey: Buffer): Windowed<K> {
    return windowed(this.keys.keyFrom(sessionKeyOf(storeKey)), sessionStartOf(storeKey), sessionEndOf(storeKey));
  }

  protected restore(records: ReadonlyArray<ChangelogRecord>): void | Promise<void> {
    return restoreEntries(this.layers.bytes, records);
  }
}

/** True when `store` is a session store built by `Stores` (or by the DSL). */
export function isSessionStore(store: StateStore): store is SessionStore<unknown, unknown> {
  return store instanceof MeteredSessionStore;
}
