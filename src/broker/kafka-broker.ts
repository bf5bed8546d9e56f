import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { getLogger, isStreamsError, StreamsError } from '../common/index.ts';
import type { LogEngine } from '../log/index.ts';
import { API_VERSIONS_KEY, ERROR_CODES, apis, decodeRequestBody, decodeRequestHeader, encodeResponse, servedApi } from '../protocol/index.ts';
import type { BrokerContext } from './broker-context.ts';
import { BrokerConnection, type ConnectionLimits } from './connection.ts';
import { GroupCoordinator } from './group-coordinator.ts';
import { HANDLERS, servedVersions } from './handlers/index.ts';

const log = getLogger('broker');

/** How the broker listens and behaves. */
export interface KafkaBrokerOptions {
  readonly engine: LogEngine;
  /** Interface to listen on (default 127.0.0.1: reachable from this machine only). */
  readonly host?: string;
  /** Port (default 9092; 0 picks a free one). */
  readonly port?: number;
  /** Host clients are told to connect to (default: `host`). */
  readonly advertisedHost?: string;
  /** Largest request accepted; a bigger one closes the connection (default 100 MiB, Kafka's `socket.request.max.bytes`). */
  readonly maxRequestBytes?: number;
  /** Per connection: reading pauses while received requests waiting to be answered exceed this (default 16 MiB). */
  readonly maxQueuedRequestBytes?: number;
  /** Per connection: the next request waits while more response bytes than this are unsent, because the client does not read (default 16 MiB). */
  readonly maxUnsentResponseBytes?: number;
  /** A connection with no traffic and no request being answered for this long is closed (default 600000, Kafka's `connections.max.idle.ms`). */
  readonly connectionsMaxIdleMs?: number;
  /** A request whose first bytes arrived must be complete within this (default 60000 ms), or the connection is closed. */
  readonly requestReceiveTimeoutMs?: number;
  /** The most partitions one CreateTopics request may create in all (default 10000); more is refused with POLICY_VIOLATION. */
  readonly maxPartitionsPerRequest?: number;
  /** The largest Fetch response (default 55 MiB, Kafka's `fetch.max.bytes`); a client's `max_bytes` is capped to it. */
  readonly fetchMaxBytes?: number;
  /** Create unknown topics on Metadata and Produce (default true, as Kafka's `auto.create.topics.enable`). */
  readonly autoCreateTopics?: boolean;
  /** Partitions of topics created without a count (default 1). */
  readonly defaultPartitions?: number;
  /** How long a new group's first rebalance waits for more members (default 0 ms). */
  readonly groupInitialRebalanceDelayMs?: number;
}

/**
 * `kstreams broker`: serves a log engine over the Kafka wire protocol, so standard Kafka clients
 * (kafkajs, @platformatic/kafka, librdkafka/kcat, the Java clients) produce, consume and use
 * consumer groups against it. Each connection's requests are answered in order, as Kafka does,
 * with bounded memory per connection (see `BrokerConnection`). A malformed, oversized or
 * unsupported request, an idle connection or a request that never finishes arriving closes that
 * connection with a log line; the broker itself keeps running.
 *
 * @example
 * const engine = await LogEngine.open({ dataDir: './kstreams-data' });
 * const broker = new KafkaBroker({ engine, port: 9092 });
 * await broker.start();
 */
export class KafkaBroker {
  private readonly server: Server;
  private readonly groups: GroupCoordinator;
  private readonly sockets = new Set<Socket>();
  private readonly limits: ConnectionLimits;
  private context: BrokerContext | undefined;

  constructor(private readonly options: KafkaBrokerOptions) {
    this.limits = {
      maxRequestBytes: options.maxRequestBytes ?? 100 * 1024 * 1024,
      maxQueuedRequestBytes: options.maxQueuedRequestBytes ?? 16 * 1024 * 1024,
      maxUnsentResponseBytes: options.maxUnsentResponseBytes ?? 16 * 1024 * 1024,
      idleMs: options.connectionsMaxIdleMs ?? 600_000,
      receiveTimeoutMs: options.requestReceiveTimeoutMs ?? 60_000,
    };
    this.groups = new GroupCoordinator({ initialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 0 });
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the address it listens on. */
  async start(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (cause) => reject(new StreamsError('INVALID_CONFIG', `kstreams broker cannot listen on ${host}:${this.options.port ?? 9092}: ${cause.message}; pick another --port or stop what uses it`, { cause })));
      this.server.listen(this.options.port ?? 9092, host, () => resolve());
    });
    const port = (this.server.address() as AddressInfo).port;
    this.context = {
      engine: this.options.engine,
      groups: this.groups,
      advertisedHost: this.options.advertisedHost ?? host,
      advertisedPort: port,
      autoCreateTopics: this.options.autoCreateTopics ?? true,
      defaultPartitions: this.options.defaultPartitions ?? 1,
      maxPartitionsPerRequest: this.options.maxPartitionsPerRequest ?? 10_000,
      fetchMaxBytes: this.options.fetchMaxBytes ?? 57_671_680,
    };
    log.info(`kstreams broker listening on ${host}:${port}`);
    return { host, port };
  }

  /** Stops accepting, closes every connection and the group coordinator (the engine stays open). */
  async close(): Promise<void> {
    this.groups.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    new BrokerConnection(socket, peer, this.limits, (frame) => this.respond(peer, frame));
    socket.on('error', (error) => log.debug(`connection from ${peer}: ${error.message}`));
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** The response frame to one request frame; 'close' when the connection must be dropped. */
  private async respond(peer: string, frame: Buffer): Promise<Buffer | null | 'close'> {
    const context = this.context!;
    let request = 'a request';
    try {
      const { header, reader } = decodeRequestHeader(frame);
      request = `${servedApi(header.apiKey)?.name ?? `API ${header.apiKey}`} v${header.apiVersion}`;
      const api = servedApi(header.apiKey);
      if (api === undefined) throw new StreamsError('PROTOCOL_ERROR', `unknown or unserved API key ${header.apiKey}`);
      if (header.apiVersion < api.minVersion || header.apiVersion > api.maxVersion) {
        if (header.apiKey === API_VERSIONS_KEY) {
          // KIP-511: answer an ApiVersions request of an unknown version with a v0 response naming the versions we serve.
          return encodeResponse(apis.apiVersions, 0, header.correlationId, { errorCode: ERROR_CODES.UNSUPPORTED_VERSION, apiKeys: servedVersions() });
        }
        throw new StreamsError('UNSUPPORTED_VERSION', `${api.name} v${header.apiVersion} is not served (versions ${api.minVersion}-${api.maxVersion})`);
      }
      const body = decodeRequestBody(api, header, reader);
      const response = await HANDLERS.get(api.apiKey)!(context, body, header.apiVersion, { clientId: header.clientId ?? '', clientHost: peer });
      return response === null ? null : encodeResponse(api, header.apiVersion, header.correlationId, response);
    } catch (error) {
      const expected = isStreamsError(error) && (error.code === 'PROTOCOL_ERROR' || error.code === 'UNSUPPORTED_VERSION');
      const message = error instanceof Error ? error.message : String(error);
      if (expected) log.warn(`closing connection from ${peer}: ${message}`);
      else log.error(`closing connection from ${peer} after an internal error in ${request}: ${message}`);
      return 'close';
    }
  }
}
