import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { PrometheusExporter, prometheusLabel, prometheusName } from '../../src/metrics/index.ts';
import type { MetricName, StreamsMetric } from '../../src/metrics/index.ts';

function source(entries: Array<[MetricName, number | string]>): () => StreamsMetric[] {
  return () => entries.map(([name, value]) => ({ ...name, value }));
}

const processTotal: MetricName = { name: 'process-total', group: 'stream-thread-metrics', description: 'The total number of records processed', tags: { 'thread-id': 'app-1-StreamThread-1' } };

describe('PrometheusExporter', () => {
  it('names metrics as the JMX exporter does: kafka_streams_<group>_<name>, dashes as underscores', () => {
    expect(prometheusName(processTotal)).toBe('kafka_streams_stream_thread_metrics_process_total');
    expect(prometheusLabel('processor-node-id')).toBe('processor_node_id');
  });

  it('exports numbers as gauges with tags as labels, leaves strings out, and picks up metrics that appear later', async () => {
    const entries: Array<[MetricName, number | string]> = [
      [processTotal, 42],
      [{ name: 'application-id', group: 'stream-metrics', description: 'id', tags: { 'client-id': 'c' } }, 'app'],
    ];
    const exporter = new PrometheusExporter(source(entries));
    let text = await exporter.scrape();
    expect(text).toContain('# HELP kafka_streams_stream_thread_metrics_process_total The total number of records processed');
    expect(text).toContain('kafka_streams_stream_thread_metrics_process_total{thread_id="app-1-StreamThread-1"} 42');
    expect(text).not.toContain('application_id');
    entries.push([{ name: 'record-lateness-max', group: 'stream-task-metrics', description: 'lateness', tags: { 'thread-id': 't', 'task-id': '0_1' } }, NaN]);
    entries[0] = [processTotal, 43];
    text = await exporter.scrape();
    expect(text).toContain('kafka_streams_stream_thread_metrics_process_total{thread_id="app-1-StreamThread-1"} 43');
    expect(text).toContain('kafka_streams_stream_task_metrics_record_lateness_max{thread_id="t",task_id="0_1"} NaN');
  });

  it('writes into a Registry the application already has, next to its own metrics', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'orders' });
    const exporter = new PrometheusExporter(source([[processTotal, 7]]), registry);
    expect(exporter.registry).toBe(registry);
    expect(await registry.metrics()).toContain('kafka_streams_stream_thread_metrics_process_total{thread_id="app-1-StreamThread-1",service="orders"} 7');
  });
});
