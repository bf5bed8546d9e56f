import { Gauge, Registry } from 'prom-client';
import type { MetricName, StreamsMetric } from './metric-name.ts';

/** `kafka_streams_<group>_<name>`, every character Prometheus does not allow made `_`: the JMX exporter's names. */
export function prometheusName(name: Pick<MetricName, 'group' | 'name'>): string {
  return `kafka_streams_${name.group}_${name.name}`.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** A tag key as a Prometheus label (`thread-id` → `thread_id`). */
export function prometheusLabel(tag: string): string {
  const label = tag.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(label) ? `_${label}` : label;
}

/**
 * Exports a metrics source (e.g. `() => streams.metrics()`) to a prom-client Registry: one gauge
 * per metric group and name, its tags as labels, values read at scrape time. String-valued
 * metrics (`application-id`, …) have no Prometheus form and are left out. Metrics that appear
 * later (new tasks) are added at the next {@link refresh}, which the HTTP endpoint calls before
 * every scrape; a registry scraped elsewhere picks them up one scrape later.
 *
 * @example
 * const exporter = new PrometheusExporter(() => streams.metrics());
 * const text = await exporter.scrape(); // Prometheus text format
 */
export class PrometheusExporter {
  readonly registry: Registry;
  private readonly gauges = new Map<string, Gauge>();
  private snapshot: Map<string, Array<{ labels: Record<string, string>; value: number }>> | undefined;

  constructor(private readonly source: () => Iterable<StreamsMetric>, registry?: Registry) {
    this.registry = registry ?? new Registry();
    this.refresh();
  }

  /** Reads every metric now and registers a gauge for each new name. */
  refresh(): void {
    const snapshot = new Map<string, Array<{ labels: Record<string, string>; value: number }>>();
    for (const name of this.source()) {
      const value = name.value;
      if (typeof value !== 'number') continue;
      const promName = prometheusName(name);
      const labels: Record<string, string> = {};
      for (const [tag, tagValue] of Object.entries(name.tags)) labels[prometheusLabel(tag)] = tagValue;
      let series = snapshot.get(promName);
      if (series === undefined) snapshot.set(promName, (series = []));
      series.push({ labels, value });
      if (!this.gauges.has(promName)) this.register(promName, name, Object.keys(labels));
    }
    this.snapshot = snapshot;
    // One scrape reads one snapshot; the next scrape (after this turn of the event loop) reads anew.
    setImmediate(() => {
      if (this.snapshot === snapshot) this.snapshot = undefined;
    }).unref();
  }

  /** Refreshes and renders the registry in the Prometheus text format. */
  async scrape(): Promise<string> {
    this.refresh();
    // prom-client writes NaN (an average with no samples) as "Nan"; the exposition format spells it "NaN".
    return (await this.registry.metrics()).replace(/ Nan$/gm, ' NaN');
  }

  private register(promName: string, name: MetricName, labelNames: string[]): void {
    const exporter = this;
    const gauge = new Gauge({
      name: promName,
      help: `${name.description} (Kafka Streams ${name.group} ${name.name})`,
      labelNames,
      registers: [this.registry],
      collect() {
        if (exporter.snapshot === undefined) exporter.refresh();
        this.reset();
        for (const { labels, value } of exporter.snapshot!.get(promName) ?? []) this.set(labels, value);
      },
    });
    this.gauges.set(promName, gauge);
  }
}
