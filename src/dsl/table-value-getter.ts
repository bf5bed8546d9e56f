import type { ProcessorContext } from '../processor/index.ts';
import type { TimeOrderedKeyValueBuffer, TimestampedKeyValueStore, ValueAndTimestamp } from '../state/index.ts';

/** Reads a table's current value for a key, as a join looks it up (Kafka's KTableValueGetter). */
export interface TableValueGetter<K, V> {
  init(context: ProcessorContext<unknown, unknown>): void;
  get(key: K): ValueAndTimestamp<V> | null;
}

/** Makes a value getter per task, with the stores it reads (they are connected to the reading processor). */
export interface TableValueGetterSupplier<K, V> {
  readonly storeNames: readonly string[];
  get(): TableValueGetter<K, V>;
}

/**
 * The getter of a materialized table: a lookup in its timestamped store.
 *
 * @example
 * const getter = storeValueGetter<string, number>('balances').get();
 */
export function storeValueGetter<K, V>(storeName: string): TableValueGetterSupplier<K, V> {
  return {
    storeNames: [storeName],
    get() {
      let store: TimestampedKeyValueStore<K, V>;
      return {
        init: (context) => void (store = context.getStateStore(storeName)),
        get: (key) => store.get(key),
      };
    },
  };
}

/**
 * The getter of an unmaterialized table derived row by row from its parent (filter, mapValues):
 * the parent's value, transformed; a row the transform turns into null does not exist.
 */
export function derivedValueGetter<K, V, VR>(
  parent: TableValueGetterSupplier<K, V>,
  transform: (key: K, value: V) => VR | null,
): TableValueGetterSupplier<K, VR> {
  return {
    storeNames: parent.storeNames,
    get() {
      const inner = parent.get();
      return {
        init: (context) => inner.init(context),
        get: (key) => {
          const found = inner.get(key);
          if (found === null) return null;
          const value = transform(key, found.value);
          return value === null ? null : { value, timestamp: found.timestamp };
        },
      };
    },
  };
}

/**
 * The getter of a suppressed table (Kafka's suppression view): while an update of a key is held in
 * the suppression buffer, the row is what downstream last saw (the buffered prior value, with no
 * known timestamp: -1); otherwise the parent's row, which downstream has seen.
 */
export function suppressedValueGetter<K, V>(parent: TableValueGetterSupplier<K, V>, bufferStoreName: string): TableValueGetterSupplier<K, V> {
  return {
    storeNames: [bufferStoreName, ...parent.storeNames],
    get() {
      const inner = parent.get();
      let buffer: TimeOrderedKeyValueBuffer<K, V>;
      return {
        init: (context) => {
          inner.init(context);
          buffer = context.getStateStore(bufferStoreName);
        },
        get: (key) => {
          const prior = buffer.priorValueForBuffered(key);
          if (prior === undefined) return inner.get(key);
          return prior.value === null ? null : { value: prior.value, timestamp: -1 };
        },
      };
    },
  };
}
