/**
 * The optional HTTP endpoint of a running application (node:http, no framework).
 *
 * `startHttpEndpoint(streams, { port })` serves, for one `KafkaStreams` instance:
 * - `/health` — liveness: 200 unless the instance failed or stopped;
 * - `/ready` — readiness: 200 only while RUNNING, else 503 with the state and restore progress;
 * - `/metrics` — the metrics in the Prometheus text format (`kafka_streams_<group>_<name>`, tags as labels);
 * - `/topology` — Kafka Streams' describe() text (`?format=mermaid` or `/topology/mermaid` for Mermaid);
 * plus any extra {@link HttpRoute}s passed in. `kstreams run --http-port N` starts the same
 * endpoint. The runtime never imports this module: the endpoint reads the instance from outside.
 *
 * @example
 * import { KafkaStreams, startHttpEndpoint } from 'kstreams';
 * const streams = new KafkaStreams(topology, { 'application.id': 'orders' });
 * const http = await startHttpEndpoint(streams, { port: 8080, host: '0.0.0.0' });
 * await streams.start();
 *
 * @module
 */
export { HttpEndpoint } from './http-endpoint.ts';
export type { HttpEndpointOptions } from './http-endpoint.ts';
export { sendJson, sendText, matchPath } from './route.ts';
export type { HttpRoute, RouteMatch } from './route.ts';
export { startHttpEndpoint, builtInRouteFactories } from './start-http-endpoint.ts';
export type { StartHttpEndpointOptions, StartedHttpEndpoint, HttpRouteFactory } from './start-http-endpoint.ts';
