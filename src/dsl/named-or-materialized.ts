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
