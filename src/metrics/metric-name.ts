import { StreamsError } from '../common/index.ts';

/**
 * A metric's identity, as Kafka's `MetricName`: its name (`process-rate`), its group
 * (`stream-thread-metrics`), a description and its tags (`{ 'thread-id': '…' }`).
 */
export interface MetricName {
  readonly name: string;
  readonly group: string;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** One metric: its name and its current value (numbers; a few client metrics are strings). */
export interface Metric {
  readonly metricName: MetricName;
  metricValue(): number | string;
}

/**
 * One metric as `metrics()` lists it: Kafka's metric name fields and the value read at the call.
 *
 * @example
 * const processed = streams.metrics().find((m) => m.group === 'stream-thread-metrics' && m.name === 'process-total')?.value;
 */
export interface StreamsMetric extends MetricName {
  readonly value: number | string;
}

/** Kafka's recording levels: a sensor records when its level is at or below `metrics.recording.level`. */
export type RecordingLevel = 'INFO' | 'DEBUG' | 'TRACE';

const LEVEL_ORDER: Readonly<Record<RecordingLevel, number>> = { INFO: 0, DEBUG: 1, TRACE: 2 };

/** True when a sensor of `sensorLevel` records under the configured level. */
export function shouldRecord(sensorLevel: RecordingLevel, configured: RecordingLevel): boolean {
  return LEVEL_ORDER[sensorLevel] <= LEVEL_ORDER[configured];
}

/** Reads `metrics.recording.level` (default INFO), case-insensitively as Kafka does. */
export function recordingLevelOf(value: unknown): RecordingLevel {
  if (value === undefined) return 'INFO';
  const level = typeof value === 'string' ? value.toUpperCase() : '';
  if (level === 'INFO' || level === 'DEBUG' || level === 'TRACE') return level;
  throw new StreamsError('INVALID_CONFIG', `"metrics.recording.level" must be INFO, DEBUG or TRACE, got ${JSON.stringify(value)}`);
}

/** The key identifying a metric name in a registry: group, name and tags in a fixed order. */
export function metricKey(name: MetricName): string {
  const tags = Object.keys(name.tags).sort().map((key) => `${key}=${name.tags[key]}`).join(',');
  return `${name.group}:${name.name}:${tags}`;
}
