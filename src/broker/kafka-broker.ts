import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { getLogger, isStreamsError, StreamsError } from '../common/index.ts';
import type { LogEngine } from '../log/index.ts';
import { API_VERSIONS_KEY, ERROR_CODES, apis, decodeRequestBody, decodeRequestHeader, encodeResponse, servedApi } from '../protocol/index.ts';
import type { BrokerContext } from './broker-context.ts';
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
 * consumer groups against it. Each connection's requests are answered in order, as Kafka does.
 * A malformed, oversized or unsupported request closes that connection with a log line; the
 * broker itself keeps running.
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
  private readonly maxRequestBytes: number;
  private context: BrokerContext | undefined;
  private producerIds = Date.now() % 1_000_000_000;

  constructor(private readonly options: KafkaBrokerOptions) {
    this.maxRequestBytes = options.maxRequestBytes ?? 100 * 1024 * 1024;
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
      nextProducerId: () => this.producerIds++,
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
    let pending: Buffer = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (size < 0 || size > this.maxRequestBytes) {
          log.warn(`closing connection from ${peer}: request of ${size} bytes exceeds the limit of ${this.maxRequestBytes} bytes`);
          socket.destroy();
          return;
        }
        if (pending.length < 4 + size) break;
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        // Requests of one connection are answered one after the other, in order.
        queue = queue.then(() => this.serve(socket, peer, frame));
      }
    });
    socket.on('error', (error) => log.debug(`connection from ${peer}: ${error.message}`));
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async serve(socket: Socket, peer: string, frame: Buffer): Promise<void> {
    if (socket.destroyed) return;
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
          socket.write(encodeResponse(apis.apiVersions, 0, header.correlationId, { errorCode: ERROR_CODES.UNSUPPORTED_VERSION, apiKeys: servedVersions() }));
          return;
        }
        throw new StreamsError('UNSUPPORTED_VERSION', `${api.name} v${header.apiVersion} is not served (versions ${api.minVersion}-${api.maxVersion})`);
      }
      const body = decodeRequestBody(api, header, reader);
      const response = await HANDLERS.get(api.apiKey)!(context, body, header.apiVersion, { clientId: header.clientId ?? '', clientHost: peer });
      if (response !== null && !socket.destroyed) socket.write(encodeResponse(api, header.apiVersion, header.correlationId, response));
    } catch (error) {
      const expected = isStreamsError(error) && (error.code === 'PROTOCOL_ERROR' || error.code === 'UNSUPPORTED_VERSION');
      const message = error instanceof Error ? error.message : String(error);
      if (expected) log.warn(`closing connection from ${peer}: ${message}`);
      else log.error(`closing connection from ${peer} after an internal error in ${request}: ${message}`);
      socket.destroy();
    }
  }
}
