import { StreamsError } from '../common/index.ts';
import type { QueryableStoreType } from './queryable-store-types.ts';

/**
 * What `streams.store(...)` should read (Kafka's StoreQueryParameters): a store name, its
 * queryable type, optionally one partition, and whether standby copies and restoring tasks may
 * answer (stale reads). Immutable: every `with…` returns a new value.
 *
 * @example
 * const params = StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>())
 *   .withPartition(2)        // only the task of partition 2
 *   .enableStaleStores();    // a standby copy may answer too
 * const counts = streams.store(params);
 */
export class StoreQueryParameters<T> {
  private constructor(
    readonly storeName: string,
    readonly queryableStoreType: QueryableStoreType<T>,
    /** Only this partition's task answers; undefined: every local task. */
    readonly partition: number | undefined,
    /** Standby copies and tasks still restoring may answer, with possibly older data. */
    readonly staleStoresEnabled: boolean,
  ) {}

  /** Parameters for the store `storeName` read as `type`. */
  static fromNameAndType<T>(storeName: string, type: QueryableStoreType<T>): StoreQueryParameters<T> {
    if (typeof storeName !== 'string' || storeName.length === 0) {
      throw new StreamsError('INVALID_ARGUMENT', `StoreQueryParameters.fromNameAndType needs a store name, got ${JSON.stringify(storeName)}`);
    }
    return new StoreQueryParameters(storeName, type, undefined, false);
  }

  /** Reads only the task of `partition` (a number from 0). */
  withPartition(partition: number): StoreQueryParameters<T> {
    if (!Number.isInteger(partition) || partition < 0) {
      throw new StreamsError('INVALID_ARGUMENT', `withPartition(${String(partition)}): the partition must be a whole number >= 0`);
    }
    return new StoreQueryParameters(this.storeName, this.queryableStoreType, partition, this.staleStoresEnabled);
  }

  /** Lets standby copies and restoring tasks answer as well (their data may lag behind). */
  enableStaleStores(): StoreQueryParameters<T> {
    return new StoreQueryParameters(this.storeName, this.queryableStoreType, this.partition, true);
  }
}
