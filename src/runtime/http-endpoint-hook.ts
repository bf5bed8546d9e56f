import { StreamsError } from '../common/index.ts';
import type { KafkaStreams } from './kafka-streams.ts';

/** Where `new KafkaStreams(topology, config, { http })` serves its HTTP endpoint. */
export interface KafkaStreamsHttpOptions {
  /** Port to listen on; 0 picks a free one (read it back from `streams.httpAddress`). */
  readonly port: number;
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 to be reachable from other hosts). */
  readonly host?: string;
}

/** A started endpoint, as the runtime sees it. */
export interface RunningHttpEndpoint {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

type HttpEndpointStarter = (streams: KafkaStreams, options: KafkaStreamsHttpOptions) => Promise<RunningHttpEndpoint>;

/**
 * The `http` option of KafkaStreams without an import of `http/` (the endpoint imports the
 * runtime, never the other way round): `http/` registers its starter here when it is loaded,
 * which the package entry point always does.
 */
let starter: HttpEndpointStarter | undefined;

/** Called by `http/` when it loads. */
export function registerHttpEndpointStarter(start: HttpEndpointStarter): void {
  starter = start;
}

/** Starts the endpoint the `http` option asks for, or fails saying what to import. */
export function startConfiguredHttpEndpoint(streams: KafkaStreams, options: KafkaStreamsHttpOptions): Promise<RunningHttpEndpoint> {
  if (starter === undefined) {
    throw new StreamsError('INVALID_CONFIG', 'the "http" option needs the HTTP endpoint module; import KafkaStreams from "kstreams" (the package entry), or call startHttpEndpoint(streams, { port }) yourself');
  }
  return starter(streams, options);
}
