import type { KeyValueIterator, ReadOnlySessionStore, ReadOnlyWindowStore, StateStore } from '../../state/index.ts';
import { isSessionStore, isTimestampedKeyValueStore, isTimestampedWindowStore, isWindowStore, TimestampedKeyValueStoreFacade, TimestampedWindowStoreFacade } from '../../state/index.ts';
import type { TimestampedKeyValueStore, TimestampedWindowStore } from '../../state/index.ts';

/**
 * Every row of the stores named `name` (one per partition), values without their timestamps, keys as
 * they are: plain keys for key-value stores, `Windowed` keys (`[key@start/end]` as text) for window
 * and session stores. Undefined when the topology has no such store.
 */
export function storeEntries(stores: readonly StateStore[]): Array<{ key: unknown; value: unknown }> {
  return stores.flatMap((store) => drain(iterateAll(store)));
}

function iterateAll(store: StateStore): KeyValueIterator<unknown, unknown> {
  if (isSessionStore(store)) return (store as unknown as ReadOnlySessionStore<unknown, unknown>).fetch(null, null);
  if (isWindowStore(store)) {
    const view: ReadOnlyWindowStore<unknown, unknown> = isTimestampedWindowStore(store)
      ? new TimestampedWindowStoreFacade(store as TimestampedWindowStore<unknown, unknown>)
      : store as unknown as ReadOnlyWindowStore<unknown, unknown>;
    return view.all();
  }
  if (isTimestampedKeyValueStore(store)) return new TimestampedKeyValueStoreFacade(store as TimestampedKeyValueStore<unknown, unknown>).all();
  const candidate = store as Partial<{ all(): KeyValueIterator<unknown, unknown> }>;
  if (typeof candidate.all !== 'function') {
    throw new Error(`runTopology: store "${store.name}" is neither a key-value, window nor session store, so its contents cannot be compared`);
  }
  return candidate.all();
}

function drain(iterator: KeyValueIterator<unknown, unknown>): Array<{ key: unknown; value: unknown }> {
  const rows: Array<{ key: unknown; value: unknown }> = [];
  try {
    for (const { key, value } of iterator) rows.push({ key, value });
  } finally {
    iterator.close();
  }
  return rows;
}
