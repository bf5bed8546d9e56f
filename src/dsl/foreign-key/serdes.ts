import { StreamsError } from '../../common/index.ts';
import type { ProcessorContext } from '../../processor/index.ts';
import type { Serde } from '../../serde/index.ts';

/**
 * A serde a foreign-key join processor needs: the one the DSL knew, else the application default.
 * The join's internal topics carry bytes, so the processors serialize keys and values themselves.
 */
export function resolveSerde<T>(given: Serde<T> | undefined, side: 'key' | 'value', what: string, context: ProcessorContext<unknown, unknown>): Serde<T> {
  const configKey = side === 'key' ? 'default.key.serde' : 'default.value.serde';
  const serde = given ?? (context.appConfigs[configKey] as Serde<T> | undefined);
  if (serde === undefined) {
    throw new StreamsError('INVALID_CONFIG', `a foreign-key join needs a serde for ${what}; give the tables' serdes (Consumed/Materialized) or set "${configKey}"`);
  }
  return serde;
}

/** The serdes of a foreign-key join, as the DSL knew them (undefined: the default applies). */
export interface ForeignKeyJoinSerdes<K, V, KO, VO> {
  readonly primaryKey: Serde<K> | undefined;
  readonly leftValue: Serde<V> | undefined;
  readonly foreignKey: Serde<KO> | undefined;
  readonly rightValue: Serde<VO> | undefined;
}
