import type { StateStore } from '../state/index.ts';

/**
 * What a running application hands the query views: the local stores of one name, in task order,
 * looked up again on every read so a view follows tasks as they move. It throws a StreamsError
 * `INVALID_STATE_STORE` when the stores cannot be read now (not running, rebalancing, restoring,
 * migrated) and `UNKNOWN_STATE_STORE` when the topology has no store of that name.
 */
export type StoreLookup = (storeName: string, options: { readonly partition: number | undefined; readonly staleStoresEnabled: boolean }) => readonly StateStore[];
