import { StreamsError } from '../../common/index.ts';
import type { Serde } from '../../serde/index.ts';

/** Kafka Streams' default for `statestore.cache.max.bytes`: 10 MiB per application instance. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

type Config = Readonly<{ [key: string]: unknown }>;

/** `application.id`, which prefixes internal topics and changelogs; required. */
export function applicationIdOf(config: Config): string {
  const id = config['application.id'];
  if (typeof id !== 'string' || id.length === 0) {
    throw new StreamsError('INVALID_CONFIG', `"application.id" must be a non-empty string, got ${JSON.stringify(id)}; set it in the streams config`);
  }
  return id;
}

/** `statestore.cache.max.bytes` (default 10485760); 0 turns record caching off. */
export function cacheMaxBytesOf(config: Config): number {
  const value = config['statestore.cache.max.bytes'] ?? DEFAULT_CACHE_MAX_BYTES;
  const bytes = typeof value === 'string' ? Number(value) : value;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0) {
    throw new StreamsError('INVALID_CONFIG', `"statestore.cache.max.bytes" must be a whole number of bytes >= 0, got ${JSON.stringify(value)}`);
  }
  return bytes;
}

/**
 * The serde a source or sink uses: its own, else `default.key.serde` / `default.value.serde`.
 * Fails when neither is there, naming the node, so the user knows where to add one.
 */
export function serdeFor(part: 'key' | 'value', own: Serde<unknown> | undefined, config: Config, nodeDescription: string): Serde<unknown> {
  if (own !== undefined) return own;
  const configKey = `default.${part}.serde`;
  const fallback = config[configKey];
  if (fallback === undefined) {
    throw new StreamsError(
      'INVALID_CONFIG',
      `${nodeDescription} has no ${part} serde and "${configKey}" is not set; pass a ${part} serde to the node or set "${configKey}" in the config`,
    );
  }
  if (!isSerde(fallback)) {
    throw new StreamsError('INVALID_CONFIG', `"${configKey}" must be a Serde (an object with serialize and deserialize), got ${typeof fallback}`);
  }
  return fallback;
}

function isSerde(value: unknown): value is Serde<unknown> {
  return typeof value === 'object' && value !== null &&
    typeof (value as Serde<unknown>).serialize === 'function' && typeof (value as Serde<unknown>).deserialize === 'function';
}
