import { isSessionStore, isWindowStore } from '../state/index.ts';
import type { StateStore } from '../state/index.ts';
import type { QueryableStoreType } from './queryable-store-types.ts';
import { RemoteStore } from './remote-store.ts';

/** The three shapes of queryable store. */
export type StoreKind = 'key-value' | 'window' | 'session';

/**
 * A QueryableStoreType that reads no data, only which kind the store is, so a generic reader
 * (the HTTP endpoint) can pick the matching QueryableStoreTypes method.
 *
 * @example
 * const kind = streams.store(StoreQueryParameters.fromNameAndType('counts', storeKindType()))(); // 'key-value'
 */
export function storeKindType(): QueryableStoreType<() => StoreKind> {
  return {
    description: 'store of any kind',
    accepts: () => true,
    create: (_storeName, stores) => () => kindOf(stores()[0]!),
  };
}

function kindOf(store: StateStore): StoreKind {
  if (store instanceof RemoteStore) return store.kind === 'session' ? 'session' : store.kind.endsWith('window') ? 'window' : 'key-value';
  if (isWindowStore(store)) return 'window';
  if (isSessionStore(store)) return 'session';
  return 'key-value';
}
