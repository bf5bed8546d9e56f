import type { MetricsRegistry } from '../metrics/index.ts';

const CLIENT_GROUP = 'stream-metrics';

/** What the client-level metrics read from a KafkaStreams instance. */
export interface ClientMetricsSource {
  readonly applicationId: string;
  state(): string;
  topologyDescription(): string;
  aliveThreads(): number;
  failedThreads(): number;
}

/**
 * Registers Kafka Streams' client-level metrics (group `stream-metrics`, tag `client-id`, INFO):
 * `application-id`, `topology-description` and `state` (strings, as Kafka's gauges, so the
 * Prometheus export leaves them out), `alive-stream-threads` and `failed-stream-threads`.
 */
export function registerClientMetrics(registry: MetricsRegistry, clientId: string, source: ClientMetricsSource): void {
  const tags = { 'client-id': clientId };
  const add = (name: string, description: string, read: () => number | string): void =>
    registry.add({ name, group: CLIENT_GROUP, description, tags }, read);
  add('application-id', 'The application ID of the Kafka Streams client', () => source.applicationId);
  add('topology-description', 'The description of the topology executed in the Kafka Streams client', () => source.topologyDescription());
  add('state', 'The state of the Kafka Streams client', () => source.state());
  add('alive-stream-threads', 'The current number of alive stream threads that are running or participating in rebalance', () => source.aliveThreads());
  add('failed-stream-threads', 'The number of failed stream threads since the start of the Kafka Streams client', () => source.failedThreads());
}
