import { join } from 'node:path';
import { StreamsError } from '../common/index.ts';
import { applicationIdOf, cacheMaxBytesOf } from './task/task-config.ts';

/** A streams application's config: Kafka Streams' key names as strings. */
export type StreamsConfig = Readonly<{ [key: string]: unknown }>;

/** The config keys kstreams reads; anything else is refused, so a typo cannot pass silently. */
const KNOWN_KEYS = new Set([
  'application.id', 'bootstrap.servers', 'state.dir', 'log.dirs', 'commit.interval.ms', 'poll.ms', 'session.timeout.ms', 'repartition.purge.interval.ms',
  'statestore.cache.max.bytes', 'processing.guarantee', 'num.stream.threads', 'num.standby.replicas',
  'default.key.serde', 'default.value.serde', 'default.dsl.store', 'client.id',
  'default.deserialization.exception.handler', 'errors.deadletterqueue.topic.name', 'default.timestamp.extractor',
  'processing.exception.handler', 'production.exception.handler', 'default.production.exception.handler',
  // Kafka's internal throttles of on-window-close emission and of left/outer stream-stream join results.
  'emit.interval.ms.kstreams.windowed.aggregation', 'emit.interval.ms.kstreams.outer.join.spurious.results.fix',
]);

/** The runtime's view of a validated config. */
export interface ResolvedConfig {
  readonly applicationId: string;
  readonly stateDir: string;
  /** The embedded log engine's directory (`log.dirs`, default `<state.dir>/log`). */
  readonly logDir: string;
  readonly commitIntervalMs: number;
  /** At most this often, records of repartition topics consumed and committed are deleted. */
  readonly repartitionPurgeIntervalMs: number;
  /** How long an idle loop waits before polling again. */
  readonly pollMs: number;
  /** Kafka-protocol brokers to run on (`bootstrap.servers`), or undefined to run on the embedded engine. */
  readonly bootstrapServers: readonly string[] | undefined;
  /** How long the group waits for a silent instance before moving its tasks (`session.timeout.ms`). */
  readonly sessionTimeoutMs: number;
  readonly raw: StreamsConfig;
}

/**
 * Validates a streams config: unknown keys, ill-typed values and settings this version does not
 * run are refused with a message naming the key.
 */
export function resolveConfig(config: StreamsConfig): ResolvedConfig {
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new StreamsError('INVALID_CONFIG', `unknown streams config "${key}"; known keys are ${[...KNOWN_KEYS].join(', ')}`);
    }
  }
  const applicationId = applicationIdOf(config);
  cacheMaxBytesOf(config);
  const bootstrap = stringOf(config, 'bootstrap.servers');
  const guarantee = config['processing.guarantee'] ?? 'at_least_once';
  if (guarantee !== 'at_least_once') {
    throw new StreamsError('INVALID_CONFIG', `"processing.guarantee" ${JSON.stringify(guarantee)} is not available yet; use "at_least_once"`);
  }
  const threads = config['num.stream.threads'] ?? 1;
  if (threads !== 1 && threads !== '1') throw new StreamsError('INVALID_CONFIG', `"num.stream.threads" must be 1 in this version, got ${JSON.stringify(threads)}`);
  const stateDir = stringOf(config, 'state.dir') ?? join(process.cwd(), 'kstreams-state');
  return {
    applicationId,
    stateDir,
    logDir: stringOf(config, 'log.dirs') ?? join(stateDir, 'log'),
    commitIntervalMs: millisOf(config, 'commit.interval.ms', 30_000),
    repartitionPurgeIntervalMs: millisOf(config, 'repartition.purge.interval.ms', 30_000),
    pollMs: millisOf(config, 'poll.ms', 100),
    bootstrapServers: bootstrap === undefined ? undefined : bootstrap.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    sessionTimeoutMs: millisOf(config, 'session.timeout.ms', 45_000),
    raw: config,
  };
}

function stringOf(config: StreamsConfig, key: string): string | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new StreamsError('INVALID_CONFIG', `"${key}" must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function millisOf(config: StreamsConfig, key: string, fallback: number): number {
  const raw = config[key] ?? fallback;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StreamsError('INVALID_CONFIG', `"${key}" must be a whole number of milliseconds >= 0, got ${JSON.stringify(raw)}`);
  }
  return value;
}
