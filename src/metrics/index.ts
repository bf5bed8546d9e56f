/**
 * Kafka Streams' metrics for kstreams: the same names, groups, tags and recording levels, so
 * dashboards and alerts written for a Java application read a kstreams one.
 *
 * - {@link MetricsRegistry}: the metrics of one instance (Kafka's `Metrics`), read through
 *   `KafkaStreams.metrics()` as a list of {@link StreamsMetric}: name, group, description, tags, value.
 * - {@link SampledStats}: what a sensor records into — plain counters and sums on the hot path;
 *   rates, averages and extremes are computed when read, over `metrics.num.samples` windows of
 *   `metrics.sample.window.ms` (2 × 30 s by default), as Kafka's sampled stats.
 * - {@link PrometheusExporter}: the metrics as prom-client gauges named as the Prometheus JMX
 *   exporter names Kafka Streams' MBeans (`kafka_streams_stream_thread_metrics_process_total{thread_id="…"}`).
 *
 * Recording levels follow `metrics.recording.level`: every metric is registered, but a sensor
 * below the configured level records nothing (its rates stay 0, averages NaN), as in Kafka.
 *
 * @example
 * const registry = new MetricsRegistry(metricsSettingsOf({ 'metrics.recording.level': 'DEBUG' }));
 * const exporter = new PrometheusExporter(() => registry.metrics());
 * console.log(await exporter.scrape());
 *
 * @module
 */
export { shouldRecord, recordingLevelOf, metricKey } from './metric-name.ts';
export type { Metric, MetricName, RecordingLevel, StreamsMetric } from './metric-name.ts';
export { SampledStats } from './sampled-stats.ts';
export type { SampleConfig, Recorder } from './sampled-stats.ts';
export { MetricsRegistry, metricsSettingsOf } from './metrics-registry.ts';
export type { MetricsSettings, MetricOwner } from './metrics-registry.ts';
export { PrometheusExporter, prometheusName, prometheusLabel } from './prometheus-exporter.ts';
export type { Registry as PrometheusRegistry } from 'prom-client';
