import { Named } from './named.ts';

/** Kafka's `(Named, Materialized)` overloads as one options object. */
export function options<T>(namedOrMaterialized: Named | T | undefined, maybeMaterialized: T | undefined): { processorName?: string; materialized?: T } {
  const named = namedOrMaterialized instanceof Named ? namedOrMaterialized : undefined;
  const materialized = namedOrMaterialized instanceof Named ? maybeMaterialized : namedOrMaterialized;
  return {
    ...(named === undefined ? {} : { processorName: named.name }),
    ...(materialized === undefined ? {} : { materialized }),
  };
}

/** What `count` needs of a `Materialized` to know whether it names a store. */
interface StoreNaming {
  readonly storeName?: string | undefined;
  readonly storeSupplier?: unknown;
}

/**
 * Kafka Streams' `count(Materialized)` on a grouped stream, time-windowed stream or session-windowed
 * stream takes one extra name index when the `Materialized` names no store (kept by Kafka for
 * topology compatibility), so the store and processor names after it are one higher than for
 * `reduce` or `aggregate`. Sliding-window counts do not.
 *
 * @example
 * // stream 0, count(Materialized.with(...)): store KSTREAM-AGGREGATE-STATE-STORE-0000000002, processor KSTREAM-AGGREGATE-0000000003
 * takeCountNameIndex(builder, materialized);
 */
export function takeCountNameIndex(names: { newStoreName(prefix: string): string }, materialized: StoreNaming | undefined): void {
  if (materialized !== undefined && materialized.storeName === undefined && materialized.storeSupplier === undefined) {
    names.newStoreName('KSTREAM-AGGREGATE');
  }
}
