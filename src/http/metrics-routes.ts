import type { PrometheusRegistry } from '../metrics/index.ts';
import { PrometheusExporter } from '../metrics/index.ts';
import type { KafkaStreams } from '../runtime/index.ts';
import { sendText, type HttpRoute } from './route.ts';

/**
 * `/metrics`: the instance's metrics in the Prometheus text format, named as the Prometheus JMX
 * exporter names Kafka Streams' (`kafka_streams_stream_thread_metrics_process_total{thread_id="…"}`).
 * With `registry`, the gauges go into that prom-client Registry, and `/metrics` serves all of it
 * (the application's own metrics too).
 */
export function metricsRoutes(streams: KafkaStreams, registry?: PrometheusRegistry): HttpRoute[] {
  const exporter = new PrometheusExporter(() => streams.metrics(), registry);
  return [
    {
      path: '/metrics',
      async handle(_request, response) {
        const text = await exporter.scrape();
        sendText(response, 200, text, exporter.registry.contentType);
      },
    },
  ];
}
