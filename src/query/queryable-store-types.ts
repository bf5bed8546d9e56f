import { StreamsError } from '../common/index.ts';
import {
  TimestampedKeyValueStoreFacade, TimestampedWindowStoreFacade, isSessionStore, isTimestampedKeyValueStore, isTimestampedWindowStore, isWindowStore,
} from '../state/index.ts';
import type {
  ReadOnlyKeyValueStore, ReadOnlySessionStore, ReadOnlyWindowStore, StateStore, TimestampedKeyValueStore, TimestampedWindowStore, ValueAndTimestamp,
} from '../state/index.ts';
import { CompositeReadOnlyKeyValueStore } from './composite-key-value-store.ts';
import { CompositeReadOnlySessionStore } from './composite-session-store.ts';
import { CompositeReadOnlyWindowStore } from './composite-window-store.ts';
import { RemoteStore, type RemoteStoreKind } from './remote-store.ts';

/**
 * A kind of store that interactive queries can read (Kafka's QueryableStoreType): which local
 * stores it accepts and the read-only view it builds over all of them.
 */
export interface QueryableStoreType<T> {
  /** What the type reads, for error messages ("key-value store"). */
  readonly description: string;
  accepts(store: StateStore): boolean;
  /** The view over the stores `stores()` returns on each read (one per local task). */
  create(storeName: string, stores: () => readonly StateStore[]): T;
}

/**
 * The store types of interactive queries (Kafka's QueryableStoreTypes). A DSL KTable or windowed
 * aggregation keeps a timestamp with each value: `keyValueStore()` and `windowStore()` read the
 * values alone, `timestampedKeyValueStore()` and `timestampedWindowStore()` read
 * `{ value, timestamp }`.
 *
 * @example
 * const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
 * counts.get('alice'); // 3, from whichever local task holds "alice"
 */
export const QueryableStoreTypes = {
  /** Key-value stores, plain or timestamped (then the values without their timestamps). */
  keyValueStore<K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, V>> {
    return storeType('key-value store', isKeyValueStore, ['key-value', 'timestamped-key-value'], (stores) => new CompositeReadOnlyKeyValueStore<K, V>(() => stores().map((store) => keyValueView<K, V>(store))));
  },
  /** Timestamped key-value stores (DSL KTables), values as `{ value, timestamp }`. */
  timestampedKeyValueStore<K, V>(): QueryableStoreType<ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>> {
    return storeType('timestamped key-value store', isTimestampedKeyValueStore, ['timestamped-key-value'],
      (stores) => new CompositeReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>(() => stores() as ReadonlyArray<TimestampedKeyValueStore<K, V>>));
  },
  /** Window stores, plain or timestamped (then the values without their timestamps). */
  windowStore<K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, V>> {
    return storeType('window store', isWindowStore, ['window', 'timestamped-window'], (stores) => new CompositeReadOnlyWindowStore<K, V>(() => stores().map((store) =>
      isTimestampedWindow(store) ? new TimestampedWindowStoreFacade(store as TimestampedWindowStore<K, V>) : store as unknown as ReadOnlyWindowStore<K, V>)));
  },
  /** Timestamped window stores (DSL windowed aggregations), values as `{ value, timestamp }`. */
  timestampedWindowStore<K, V>(): QueryableStoreType<ReadOnlyWindowStore<K, ValueAndTimestamp<V>>> {
    return storeType('timestamped window store', isTimestampedWindowStore, ['timestamped-window'],
      (stores) => new CompositeReadOnlyWindowStore<K, ValueAndTimestamp<V>>(() => stores() as ReadonlyArray<TimestampedWindowStore<K, V>>));
  },
  /** Session stores (DSL session-windowed aggregations). */
  sessionStore<K, V>(): QueryableStoreType<ReadOnlySessionStore<K, V>> {
    return storeType('session store', isSessionStore, ['session'], (stores) => new CompositeReadOnlySessionStore<K, V>(() => stores() as unknown as ReadonlyArray<ReadOnlySessionStore<K, V>>));
  },
} as const;

/** `accepts` checks a local store; a `RemoteStore` (a store in a worker thread) is accepted by its kind. */
function storeType<T>(
  description: string,
  acceptsLocal: (store: StateStore) => boolean,
  remoteKinds: readonly RemoteStoreKind[],
  view: (stores: () => readonly StateStore[]) => T,
): QueryableStoreType<T> {
  const accepts = (store: StateStore) => (store instanceof RemoteStore ? remoteKinds.includes(store.kind) : acceptsLocal(store));
  return {
    description,
    accepts,
    create(storeName, stores) {
      return view(() => {
        const found = stores();
        const other = found.find((store) => !accepts(store));
        if (other !== undefined) {
          throw new StreamsError('INVALID_STATE_STORE', `state store "${storeName}" is not a ${description}; query it with the QueryableStoreTypes method of its kind`);
        }
        return found;
      });
    },
  };
}

/** A key-value store of any kind: not a window or session store, with the reads of one. */
function isKeyValueStore(store: StateStore): boolean {
  if (isWindowStore(store) || isSessionStore(store)) return false;
  const candidate = store as unknown as { [method: string]: unknown };
  return ['get', 'range', 'all', 'approximateNumEntries'].every((method) => typeof candidate[method] === 'function');
}

function isTimestampedWindow(store: StateStore): boolean {
  return store instanceof RemoteStore ? store.kind === 'timestamped-window' : isTimestampedWindowStore(store);
}

function keyValueView<K, V>(store: StateStore): ReadOnlyKeyValueStore<K, V> {
  const timestamped = store instanceof RemoteStore ? store.kind === 'timestamped-key-value' : isTimestampedKeyValueStore(store);
  return timestamped
    ? new TimestampedKeyValueStoreFacade(store as TimestampedKeyValueStore<K, V>)
    : store as unknown as ReadOnlyKeyValueStore<K, V>;
}
