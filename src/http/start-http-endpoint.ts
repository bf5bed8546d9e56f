import type { PrometheusRegistry } from '../metrics/index.ts';
import { registerHttpEndpointStarter, type KafkaStreams } from '../runtime/index.ts';
import { HttpEndpoint } from './http-endpoint.ts';
import { healthRoutes } from './health-routes.ts';
import { metricsRoutes } from './metrics-routes.ts';
import type { HttpRoute } from './route.ts';
import { storeRoutes } from './store-routes.ts';
import { topologyRoutes } from './topology-routes.ts';

/** Makes the routes of one concern for a running instance. */
export type HttpRouteFactory = (streams: KafkaStreams, options: StartHttpEndpointOptions) => readonly HttpRoute[];

/**
 * The built-in routes every endpoint serves, in order. A new concern (e.g. interactive queries)
 * adds its factory here, so programmatic endpoints and `kstreams run --http-port` both serve it.
 */
export const builtInRouteFactories: readonly HttpRouteFactory[] = [
  healthRoutes,
  topologyRoutes,
  (streams, options) => metricsRoutes(streams, options.registry),
  storeRoutes,
];

/** Options of {@link startHttpEndpoint}. */
export interface StartHttpEndpointOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 to be reachable from other hosts). */
  readonly host?: string;
  /** Extra routes, tried after the built-in ones. */
  readonly routes?: readonly HttpRoute[];
  /** A prom-client Registry to export the metrics into (default: a registry of their own). */
  readonly registry?: PrometheusRegistry;
}

/** A started endpoint: where it listens, and how to stop it. */
export interface StartedHttpEndpoint {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves a KafkaStreams instance's operational endpoints over HTTP: `/metrics` (Prometheus),
 * `/health`, `/ready`, `/topology` (plus what {@link builtInRouteFactories} lists) and the `routes` given. Start it
 * before or after `streams.start()`; close it after `streams.close()`.
 *
 * @example
 * const streams = new KafkaStreams(topology, config);
 * const http = await startHttpEndpoint(streams, { port: 8080 });
 * await streams.start();
 * // ... on shutdown:
 * await streams.close();
 * await http.close();
 */
export async function startHttpEndpoint(streams: KafkaStreams, options: StartHttpEndpointOptions): Promise<StartedHttpEndpoint> {
  const routes = [...builtInRouteFactories.flatMap((factory) => factory(streams, options)), ...(options.routes ?? [])];
  const endpoint = new HttpEndpoint({ port: options.port, host: options.host, routes });
  const { host, port } = await endpoint.start();
  return { host, port, close: () => endpoint.close() };
}

// `new KafkaStreams(topology, config, { http: { port } })` starts this endpoint through the runtime's hook.
registerHttpEndpointStarter(startHttpEndpoint);
