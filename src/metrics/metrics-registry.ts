import { metricKey, recordingLevelOf, shouldRecord, type Metric, type MetricName, type RecordingLevel, type StreamsMetric } from './metric-name.ts';
import { SampledStats, type SampleConfig } from './sampled-stats.ts';

/** The settings of a registry, from the streams config. */
export interface MetricsSettings {
  readonly recordingLevel: RecordingLevel;
  readonly sample: SampleConfig;
  /** Wall-clock time in milliseconds (rates are per second of it). */
  readonly nowMs: () => number;
}

/** Reads `metrics.recording.level`, `metrics.sample.window.ms` (30 s) and `metrics.num.samples` (2). */
export function metricsSettingsOf(config: Readonly<{ [key: string]: unknown }>, nowMs: () => number = Date.now): MetricsSettings {
  return {
    recordingLevel: recordingLevelOf(config['metrics.recording.level']),
    sample: {
      windowMs: positiveNumber(config['metrics.sample.window.ms'], 30_000),
      samples: positiveNumber(config['metrics.num.samples'], 2),
    },
    nowMs,
  };
}

function positiveNumber(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * The metrics of one KafkaStreams instance, Kafka's `Metrics` registry in small: metrics are
 * registered once (when a thread, task or node appears) with a function that reads their value,
 * and removed with their owner. Recording never goes through the registry — recorders hold their
 * {@link SampledStats} directly.
 *
 * @example
 * const registry = new MetricsRegistry(metricsSettingsOf(config));
 * const stats = registry.newStats();
 * registry.addRateAndTotal(stats, { group: 'stream-thread-metrics', tags: { 'thread-id': 't1' } }, 'commit', 'calls to commit');
 */
export class MetricsRegistry {
  private readonly registered = new Map<string, Metric>();

  constructor(readonly settings: MetricsSettings) {}

  /** True when sensors of `level` record under this registry's recording level. */
  records(level: RecordingLevel): boolean {
    return shouldRecord(level, this.settings.recordingLevel);
  }

  /** A fresh set of sampled statistics for one sensor. */
  newStats(): SampledStats {
    return new SampledStats(this.settings.sample, this.settings.nowMs());
  }

  /** Registers (or replaces) one metric whose value `read` computes when asked. */
  add(name: MetricName, read: (nowMs: number) => number | string): void {
    const nowMs = this.settings.nowMs;
    this.registered.set(metricKey(name), { metricName: name, metricValue: () => read(nowMs()) });
  }

  /**
   * `<operation>-rate` and `<operation>-total` of a sensor: `count` rates and totals count
   * recordings (Kafka's invocation rate and count); `sum` ones add up the recorded values.
   */
  addRateAndTotal(stats: SampledStats, owner: MetricOwner, operation: string, what: string, of: 'count' | 'sum' = 'count'): void {
    this.add(this.name(owner, `${operation}-rate`, `The average number of ${what} per second`),
      of === 'count' ? (now) => stats.countRate(now) : (now) => stats.sumRate(now));
    this.add(this.name(owner, `${operation}-total`, `The total number of ${what}`), of === 'count' ? () => stats.count : () => stats.sum);
  }

  /** `<operation>-rate` alone (Kafka's state store metrics have no `-total`). */
  addRate(stats: SampledStats, owner: MetricOwner, operation: string, what: string): void {
    this.add(this.name(owner, `${operation}-rate`, `The average number of ${what} per second`), (now) => stats.countRate(now));
  }

  /** `<metric>-avg` and `<metric>-max` (and `-min` when asked) over the sampled windows. */
  addAvgMax(stats: SampledStats, owner: MetricOwner, metric: string, what: string, withMin = false): void {
    this.add(this.name(owner, `${metric}-avg`, `The average ${what}`), (now) => stats.avg(now));
    this.add(this.name(owner, `${metric}-max`, `The maximum ${what}`), (now) => stats.max(now));
    if (withMin) this.add(this.name(owner, `${metric}-min`, `The minimum ${what}`), (now) => stats.min(now));
  }

  /** Removes every metric whose tags include all of `tags` (a closed task, a stopped thread). */
  removeTagged(tags: Readonly<Record<string, string>>): void {
    const entries = Object.entries(tags);
    for (const [key, metric] of this.registered) {
      if (entries.every(([tag, value]) => metric.metricName.tags[tag] === value)) this.registered.delete(key);
    }
  }

  /** Every registered metric with its value now: what `KafkaStreams.metrics()` returns. */
  metrics(): StreamsMetric[] {
    return [...this.registered.values()].map(({ metricName, metricValue }) => ({ ...metricName, value: metricValue() }));
  }

  private name(owner: MetricOwner, name: string, description: string): MetricName {
    return { name, group: owner.group, description, tags: owner.tags };
  }
}

/** The group and tags shared by the metrics of one thread, task, node, store or cache. */
export interface MetricOwner {
  readonly group: string;
  readonly tags: Readonly<Record<string, string>>;
}
