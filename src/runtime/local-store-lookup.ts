import { StreamsError } from '../common/index.ts';
import type { StateStore } from '../state/index.ts';

/** A local task as interactive queries see it. */
export interface QueryableTask {
  readonly taskId: string;
  readonly partition: number;
  readonly state: string;
  getStore(name: string): StateStore | undefined;
}

/** What the stream thread holds now, for one lookup. */
export interface LocalStores {
  /** False while a rebalance or the taking of its assignment is under way. */
  readonly settled: boolean;
  readonly activeTasks: readonly QueryableTask[];
  readonly standbyTasks: readonly QueryableTask[];
  readonly globalStores: ReadonlyMap<string, StateStore>;
  /** Every store name of the topology. */
  readonly storeNames: ReadonlySet<string>;
}

/**
 * The local stores named `storeName` that a query may read, in partition order (Kafka's
 * StreamThreadStateStoreProvider and WrappingStoreProvider). Only RUNNING active tasks answer,
 * unless stale stores are enabled: then standby copies and restoring tasks do too. Throws
 * `INVALID_STATE_STORE` (retry later) while rebalancing, when the partition asked for is not
 * here, or when no local task holds the store (it may have migrated to another instance).
 *
 * @example
 * const stores = localStoresFor(thread.localStores(), 'counts', { partition: undefined, staleStoresEnabled: false });
 */
export function localStoresFor(local: LocalStores, storeName: string, options: { partition: number | undefined; staleStoresEnabled: boolean }): StateStore[] {
  if (!local.storeNames.has(storeName)) {
    throw new StreamsError('UNKNOWN_STATE_STORE', `cannot get state store "${storeName}": the topology has no such store; stores: ${[...local.storeNames].sort().join(', ') || 'none'}`);
  }
  const global = local.globalStores.get(storeName);
  if (global !== undefined) return [global];
  if (!local.settled && !options.staleStoresEnabled) {
    throw new StreamsError('INVALID_STATE_STORE', `cannot get state store "${storeName}": the instance is rebalancing; retry in a moment (or enableStaleStores() to read standby copies meanwhile)`);
  }
  const tasks = [...local.activeTasks.filter((t) => options.staleStoresEnabled || t.state === 'RUNNING'), ...(options.staleStoresEnabled ? local.standbyTasks : [])]
    .filter((t) => t.getStore(storeName) !== undefined && (options.partition === undefined || t.partition === options.partition))
    .sort((a, b) => a.partition - b.partition);
  if (tasks.length === 0) {
    const which = options.partition === undefined ? '' : ` partition ${options.partition} of`;
    throw new StreamsError('INVALID_STATE_STORE', `cannot get${which} state store "${storeName}": no local task holds it now; it may have migrated to another instance — retry, or ask the instance queryMetadataForKey names`);
  }
  const stores = tasks.map((t) => t.getStore(storeName)!);
  if (stores.some((store) => !store.isOpen())) {
    throw new StreamsError('INVALID_STATE_STORE', `cannot get state store "${storeName}": it is closing and may have migrated to another instance; retry in a moment`);
  }
  return stores;
}
