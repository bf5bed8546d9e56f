import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { StateStoreContext } from './api.ts';

/** Passes bytes through unchanged: lets an outer layer hand already serialized keys down. */
export const BYTES_PASSTHROUGH: Serde<Buffer> = {
  serialize: (_topic, data) => data,
  deserialize: (_topic, data) => data,
};

/**
 * The serde a store uses for its keys or values: the one it was built with, else the application's
 * `default.key.serde` / `default.value.serde`, as Kafka Streams falls back. Throws INVALID_CONFIG
 * naming the store when neither is there (or the config holds something that is not a Serde).
 */
export function resolveStoreSerde<T>(
  given: Serde<T> | undefined,
  side: 'key' | 'value',
  storeName: string,
  context: StateStoreContext,
): Serde<T> {
  if (given !== undefined) return given;
  const configKey = side === 'key' ? 'default.key.serde' : 'default.value.serde';
  const configured = context.appConfigs[configKey];
  if (configured === undefined || configured === null) {
    throw new StreamsError('INVALID_CONFIG', `state store "${storeName}" has no ${side} serde and "${configKey}" is not set; ` +
      `give the serdes with Materialized.with(keySerde, valueSerde) (or to the store builder), or set "${configKey}" in the config`);
  }
  if (!isSerde(configured)) {
    throw new StreamsError('INVALID_CONFIG', `"${configKey}" must be a Serde (an object with serialize and deserialize), ` +
      `got ${typeof configured}; state store "${storeName}" needs it for its ${side}s`);
  }
  return configured as Serde<T>;
}

function isSerde(candidate: unknown): candidate is Serde<unknown> {
  const serde = candidate as Partial<Serde<unknown>>;
  return typeof candidate === 'object' && typeof serde.serialize === 'function' && typeof serde.deserialize === 'function';
}
