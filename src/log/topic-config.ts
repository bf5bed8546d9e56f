import { StreamsError } from '../common/index.ts';

/** A topic's settings, named and defaulted as Kafka's topic configs. */
export interface TopicConfig {
  /** `delete` removes old segments by retention; `compact` keeps the latest record per key. */
  readonly 'cleanup.policy': { readonly delete: boolean; readonly compact: boolean };
  /** Segments whose newest record is older than this are deleted; -1 keeps them forever. */
  readonly 'retention.ms': number;
  /** Oldest segments are deleted while a partition is larger than this; -1 means no limit. */
  readonly 'retention.bytes': number;
  /** A segment is closed and a new one started when the next batch would pass this size. */
  readonly 'segment.bytes': number;
  /** A segment older than this is rolled on the next append. */
  readonly 'segment.ms': number;
  /** The largest record batch accepted. */
  readonly 'max.message.bytes': number;
  /** How long compaction keeps a tombstone (null value) so readers can see the delete. */
  readonly 'delete.retention.ms': number;
  /** Records younger than this are not compacted. */
  readonly 'min.compaction.lag.ms': number;
  /** fsync after this many appended records (Kafka's default: never, leave it to the OS). */
  readonly 'flush.messages': number;
  /** fsync when this long has passed since the last one (default: never). */
  readonly 'flush.ms': number;
  /** Bytes of log between two entries of the sparse offset and time indexes. */
  readonly 'index.interval.bytes': number;
  /** `CreateTime` keeps the producer's timestamps; `LogAppendTime` stamps each batch with the append time. */
  readonly 'message.timestamp.type': TimestampType;
}

/** Whose clock a record's timestamp comes from: the producer's, or the log's at append. */
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** Input accepted for a topic's config: numbers or numeric strings, Kafka's key names. */
export type TopicConfigInput = { readonly [K in keyof TopicConfig]?: string | number } & { readonly [key: string]: string | number | undefined };

const NEVER = Number.MAX_SAFE_INTEGER;

/** Kafka's defaults (broker defaults for the log.* settings). */
export const DEFAULT_TOPIC_CONFIG: TopicConfig = {
  'cleanup.policy': { delete: true, compact: false },
  'retention.ms': 604_800_000,
  'retention.bytes': -1,
  'segment.bytes': 1_073_741_824,
  'segment.ms': 604_800_000,
  'max.message.bytes': 1_048_588,
  'delete.retention.ms': 86_400_000,
  'min.compaction.lag.ms': 0,
  'flush.messages': NEVER,
  'flush.ms': NEVER,
  'index.interval.bytes': 4096,
  'message.timestamp.type': 'CreateTime',
};

/** Numeric keys with their smallest accepted value. */
const NUMERIC: ReadonlyArray<readonly [Exclude<keyof TopicConfig, 'cleanup.policy' | 'message.timestamp.type'>, number]> = [
  ['retention.ms', -1],
  ['retention.bytes', -1],
  ['segment.bytes', 14],
  ['segment.ms', 1],
  ['max.message.bytes', 0],
  ['delete.retention.ms', 0],
  ['min.compaction.lag.ms', 0],
  ['flush.messages', 1],
  ['flush.ms', 0],
  ['index.interval.bytes', 0],
];

/**
 * Validates and completes a topic config: unknown keys, non-numbers and values out of range are
 * refused rather than silently ignored.
 *
 * @throws StreamsError INVALID_CONFIG naming the key, the value and what is accepted.
 * @example parseTopicConfig({ 'cleanup.policy': 'compact', 'segment.bytes': '1048576' });
 */
export function parseTopicConfig(input: TopicConfigInput = {}, base: TopicConfig = DEFAULT_TOPIC_CONFIG): TopicConfig {
  const config: Record<string, unknown> = { ...base };
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    if (key === 'cleanup.policy') {
      config[key] = parseCleanupPolicy(String(raw));
      continue;
    }
    if (key === 'message.timestamp.type') {
      config[key] = parseTimestampType(String(raw));
      continue;
    }
    const numeric = NUMERIC.find(([name]) => name === key);
    if (numeric === undefined) {
      throw new StreamsError('INVALID_CONFIG', `unknown topic config "${key}"; known keys: cleanup.policy, message.timestamp.type, ${NUMERIC.map(([k]) => k).join(', ')}`);
    }
    const value = typeof raw === 'number' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isSafeInteger(value) || value < numeric[1]) {
      throw new StreamsError('INVALID_CONFIG', `topic config "${key}" must be a whole number >= ${numeric[1]}, got ${JSON.stringify(raw)}`);
    }
    config[key] = value;
  }
  return config as unknown as TopicConfig;
}

function parseCleanupPolicy(raw: string): TopicConfig['cleanup.policy'] {
  const parts = raw.split(',').map((p) => p.trim());
  const known = parts.every((p) => p === 'delete' || p === 'compact');
  if (!known || parts.length === 0 || parts.length > 2 || new Set(parts).size !== parts.length) {
    throw new StreamsError('INVALID_CONFIG', `topic config "cleanup.policy" must be delete, compact or compact,delete; got "${raw}"`);
  }
  return { delete: parts.includes('delete'), compact: parts.includes('compact') };
}

function parseTimestampType(raw: string): TimestampType {
  if (raw !== 'CreateTime' && raw !== 'LogAppendTime') {
    throw new StreamsError('INVALID_CONFIG', `topic config "message.timestamp.type" must be CreateTime or LogAppendTime; got "${raw}"`);
  }
  return raw;
}

/** The config as Kafka-style string entries, for describe output and the wire protocol. */
export function toConfigEntries(config: TopicConfig): Array<[string, string]> {
  const policy = config['cleanup.policy'];
  const entries: Array<[string, string]> = [['cleanup.policy', [policy.compact ? 'compact' : '', policy.delete ? 'delete' : ''].filter(Boolean).join(',')]];
  for (const [key] of NUMERIC) entries.push([key, String(config[key] === NEVER ? '9223372036854775807' : config[key])]);
  entries.push(['message.timestamp.type', config['message.timestamp.type']]);
  return entries;
}

/** The config as plain input again (for persisting). */
export function toConfigInput(config: TopicConfig): Record<string, string | number> {
  return Object.fromEntries(toConfigEntries(config).map(([k, v]) => [k, k === 'cleanup.policy' || k === 'message.timestamp.type' ? v : config[k as keyof TopicConfig] as number]));
}
