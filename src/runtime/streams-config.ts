import { join } from 'node:path';
import { StreamsError, getLogger } from '../common/index.ts';
import { isSecurityKey } from '../client/index.ts';
import type { ClientSettings } from '../client/index.ts';
import { clientSettingsOf, isClientKey } from './client-config.ts';
import { IGNORED_KEYS, KEY_ALIASES, KNOWN_KEYS, UNSUPPORTED_KEYS } from './config-keys.ts';
import type { StreamsConfig } from './streams-config-shape.ts';
import { assignmentConfigOf, type AssignmentConfig } from './assignment-config.ts';
import { applicationIdOf, cacheMaxBytesOf } from './task/task-config.ts';
import { autoOffsetResetOf, type AutoOffsetReset } from './offset-reset.ts';
import { defaultCommitIntervalMs, processingGuaranteeOf, type ProcessingGuarantee } from './processing-guarantee.ts';

/** The runtime's view of a validated config. */
export interface ResolvedConfig {
  readonly applicationId: string;
  readonly stateDir: string;
  /** The embedded log engine's directory (`log.dirs`, default `<state.dir>/log`). */
  readonly logDir: string;
  /** `processing.guarantee`: under `exactly_once_v2` every commit is one transaction. */
  readonly processingGuarantee: ProcessingGuarantee;
  /** `commit.interval.ms` (default 30 s; 100 ms under exactly-once). */
  readonly commitIntervalMs: number;
  /** At most this often, records of repartition topics consumed and committed are deleted. */
  readonly repartitionPurgeIntervalMs: number;
  /** How long an idle loop waits before polling again. */
  readonly pollMs: number;
  /** Kafka-protocol brokers to run on (`bootstrap.servers`), or undefined to run on the embedded engine. */
  readonly bootstrapServers: readonly string[] | undefined;
  /** How long the group waits for a silent instance before moving its tasks (`session.timeout.ms`). */
  readonly sessionTimeoutMs: number;
  /** How often a running application logs its one-line summary (`log.summary.interval.ms`; 0: never). */
  readonly logSummaryIntervalMs: number;
  /** Where source partitions without a committed offset, or read past the log's records, restart (`auto.offset.reset`). */
  readonly autoOffsetReset: AutoOffsetReset;
  /** `num.stream.threads`: the processing loops the instance starts with (default 1). */
  readonly numStreamThreads: number;
  /** How the group leader places tasks, standby and warm-up copies (KIP-441's keys). */
  readonly assignment: AssignmentConfig;
  /** Settings of the Kafka clients, from Kafka's client keys and prefixes. */
  readonly clients: ClientSettings;
  /** The config with Kafka Streams' older key names replaced by the ones kstreams reads. */
  readonly raw: StreamsConfig;
}

const log = getLogger('config');

/**
 * Validates a streams config. Kafka Streams' keys carry over: keys that change nothing in kstreams
 * and client keys it has no equivalent for are accepted and named in one warning line; keys whose
 * meaning kstreams does not implement are refused with the reason; unknown keys, ill-typed values
 * and settings this version does not run are refused with a message naming the key.
 */
export function resolveConfig(given: StreamsConfig): ResolvedConfig {
  const config = withCurrentNames(given);
  const ignored: string[] = [];
  for (const key of Object.keys(config)) {
    if (KNOWN_KEYS.has(key) || isClientKey(key) || isSecurityKey(key)) continue;
    if (IGNORED_KEYS.has(key)) {
      ignored.push(key);
      continue;
    }
    const unsupported = UNSUPPORTED_KEYS.get(key);
    if (unsupported !== undefined) throw new StreamsError('INVALID_CONFIG', `"${key}" is not supported: ${unsupported}`);
    throw new StreamsError('INVALID_CONFIG', `unknown streams config "${key}"; known keys are ${[...KNOWN_KEYS].join(', ')} (and Kafka Streams' keys that change nothing here: ${[...IGNORED_KEYS].join(', ')})`);
  }
  const idle = Number(config['max.task.idle.ms'] ?? 0);
  if (idle !== 0) {
    throw new StreamsError('INVALID_CONFIG', `"max.task.idle.ms" ${JSON.stringify(config['max.task.idle.ms'])} is not supported: a kstreams task processes each partition's records as they arrive and never waits for others; leave it at 0`);
  }
  const clients = clientSettingsOf(config);
  ignored.push(...clients.ignored);
  if (ignored.length > 0) log.warn(`accepted without effect in kstreams: ${ignored.join(', ')}`);
  const applicationId = applicationIdOf(config);
  cacheMaxBytesOf(config);
  const bootstrap = stringOf(config, 'bootstrap.servers');
  const guarantee = processingGuaranteeOf(config);
  const numStreamThreads = streamThreadsOf(config);
  const stateDir = stringOf(config, 'state.dir') ?? join(process.cwd(), 'kstreams-state');
  return {
    applicationId,
    stateDir,
    logDir: stringOf(config, 'log.dirs') ?? join(stateDir, 'log'),
    processingGuarantee: guarantee,
    commitIntervalMs: millisOf(config, 'commit.interval.ms', defaultCommitIntervalMs(guarantee)),
    repartitionPurgeIntervalMs: millisOf(config, 'repartition.purge.interval.ms', 30_000),
    pollMs: millisOf(config, 'poll.ms', 100),
    bootstrapServers: bootstrap === undefined ? undefined : bootstrap.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    sessionTimeoutMs: millisOf(config, 'session.timeout.ms', 45_000),
    logSummaryIntervalMs: millisOf(config, 'log.summary.interval.ms', 60_000),
    autoOffsetReset: autoOffsetResetOf(config),
    numStreamThreads,
    assignment: assignmentConfigOf(config),
    clients: clients.settings,
    raw: config,
  };
}

function stringOf(config: StreamsConfig, key: string): string | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new StreamsError('INVALID_CONFIG', `"${key}" must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** `num.stream.threads`: a whole number >= 1 (or its digits as a string), default 1 as in Kafka. */
function streamThreadsOf(config: StreamsConfig): number {
  const raw = config['num.stream.threads'] ?? 1;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new StreamsError('INVALID_CONFIG', `"num.stream.threads" must be a whole number >= 1, got ${JSON.stringify(raw)}; use 1 for one processing loop per instance`);
  }
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

/** The config with Kafka Streams' older names (`cache.max.bytes.buffering`, ...) under their current ones. */
function withCurrentNames(config: StreamsConfig): StreamsConfig {
  const renamed: { [key: string]: unknown } = {};
  for (const [key, value] of Object.entries(config)) {
    const current = KEY_ALIASES.get(key);
    if (current === undefined) renamed[key] = value;
    else if (config[current] === undefined) renamed[current] = value;
    else throw new StreamsError('INVALID_CONFIG', `"${key}" and "${current}" are the same setting; give only "${current}"`);
  }
  return renamed;
}
