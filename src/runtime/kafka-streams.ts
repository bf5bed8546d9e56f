import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BehaviorSubject, type Observable } from 'rxjs';
import { StreamsError, getLogger, type DirLock } from '../common/index.ts';
import { EmbeddedCluster, KafkaCluster, type Cluster, type LogEngine } from '../client/index.ts';
import type { Topology, TopologyDescription } from '../topology/index.ts';
import { resolveConfig, type ResolvedConfig } from './streams-config.ts';
import type { StreamsConfig } from './streams-config-shape.ts';
import { lockStateDirectory } from './state-directory-lock.ts';
import { StreamThreads, type LocalThreadMetadata } from './stream-threads.ts';
import { parseHostInfo } from '../query/index.ts';
import type { HostInfo, KeyQueryMetadata, KeySerializer, StoreQueryParameters, StreamsMetadata } from '../query/index.ts';
import { localStoresFor } from './local-store-lookup.ts';
import type { StoreRestoreProgress } from './restore-progress.ts';
import { MetricsRegistry, metricsSettingsOf, type StreamsMetric } from '../metrics/index.ts';
import { registerClientMetrics } from './client-metrics.ts';
import { ThreadMetrics } from './thread-metrics.ts';
import { workerThreadsPlan } from './worker/worker-threads-plan.ts';
import { startConfiguredHttpEndpoint, type KafkaStreamsHttpOptions, type RunningHttpEndpoint } from './http-endpoint-hook.ts';

const log = getLogger('runtime');

/** The states of a KafkaStreams instance, named as in Kafka Streams. */
export type KafkaStreamsState = 'CREATED' | 'REBALANCING' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'NOT_RUNNING' | 'PENDING_ERROR' | 'ERROR';

/** What to do when processing fails: Kafka's StreamThreadExceptionResponse (a failed thread stops the whole client either way; there is no REPLACE_THREAD). */
export type UncaughtExceptionResponse = 'SHUTDOWN_CLIENT' | 'SHUTDOWN_APPLICATION';

/** Options of the constructor beyond the config. */
export interface KafkaStreamsOptions {
  /** Run on this already-open log engine instead of opening `log.dirs` (the caller closes it). */
  engine?: LogEngine;
  /**
   * False records no metrics at all (`metrics()` then lists only the client's): for measuring
   * what recording costs. Default true.
   */
  recordMetrics?: boolean;
  /**
   * Serves `/metrics`, `/health`, `/ready`, `/topology` and `/stores/…` over HTTP from `start()`
   * (so readiness answers during restore) until `close()`.
   *
   * @example
   * const streams = new KafkaStreams(topology, config, { http: { port: 8080 } });
   */
  http?: KafkaStreamsHttpOptions;
  /**
   * The module that builds this topology (a path or file URL; its default export is the Topology,
   * a `kstreams run` app `{ topology }`, or a function returning either). Given, and with
   * `num.stream.threads` > 1, every stream thread runs in a `worker_threads` Worker that rebuilds
   * the topology from it, so N threads use N CPU cores; otherwise the threads share the main
   * thread's event loop.
   * Stores of worker threads cannot be read with `store()` (see docs/architecture.md).
   *
   * @example
   * // app.ts: export default () => buildTopology();
   * const streams = new KafkaStreams(buildTopology(), { 'application.id': 'counts', 'num.stream.threads': 2 }, { topologyModule: new URL('./app.ts', import.meta.url) });
   */
  topologyModule?: string | URL;
}

/**
 * Runs a topology as a long-lived application on the embedded log engine (Kafka Streams'
 * KafkaStreams): one task per sub-topology and partition, stores restored from their changelogs
 * on start, at-least-once commits every `commit.interval.ms`.
 *
 * @example
 * const streams = new KafkaStreams(builder.build(), { 'application.id': 'spending', 'state.dir': './state' });
 * streams.onStateChange((next) => console.log('state', next));
 * await streams.start();
 * process.on('SIGINT', () => void streams.close());
 */
export class KafkaStreams {
  private readonly config: ResolvedConfig;
  private readonly subject = new BehaviorSubject<KafkaStreamsState>('CREATED');
  private cluster: Cluster | undefined;
  private threads: StreamThreads | undefined;
  private handler: (error: unknown) => UncaughtExceptionResponse = () => 'SHUTDOWN_CLIENT';
  private closing: Promise<void> | undefined;
  private stateLock: DirLock | undefined;
  /** This instance's `application.server`, when set. */
  private readonly localHost: HostInfo | undefined;
  private readonly metricsRegistry: MetricsRegistry;
  private readonly clientId: string;
  private failedThreads = 0;
  private httpEndpoint: RunningHttpEndpoint | undefined;

  constructor(
    private readonly topology: Topology,
    config: StreamsConfig,
    private readonly options: KafkaStreamsOptions = {},
  ) {
    this.config = resolveConfig(config);
    const server = this.config.raw['application.server'];
    this.localHost = server === undefined ? undefined : parseHostInfo(String(server));
    this.metricsRegistry = new MetricsRegistry(metricsSettingsOf(this.config.raw));
    const configuredClientId = this.config.raw['client.id'];
    const clientId = this.clientId = typeof configuredClientId === 'string' && configuredClientId !== '' ? configuredClientId : `${this.config.applicationId}-${randomUUID()}`;
    registerClientMetrics(this.metricsRegistry, clientId, {
      applicationId: this.config.applicationId,
      state: () => this.state,
      topologyDescription: () => this.topology.describe().toString(),
      aliveThreads: () => (this.threads !== undefined && (this.state === 'RUNNING' || this.state === 'REBALANCING') ? this.threads.count : 0),
      failedThreads: () => this.failedThreads,
    });
  }

  /**
   * The metrics of this instance, as Kafka Streams' `metrics()`: one entry per metric (`{ name,
   * group, description, tags, value }`, the value read now — for stream threads in worker threads,
   * as of their latest report, sent once a second), at the client, thread, task, processor-node, state-store
   * and record-cache levels with Kafka's names, plus `records-lag` per input partition. Sensors
   * above `metrics.recording.level` are listed but record nothing, as in Kafka. See
   * docs/operations.md for the list.
   *
   * @example
   * const processed = streams.metrics()
   *   .filter((m) => m.group === 'stream-thread-metrics' && m.name === 'process-total')
   *   .map((m) => m.value);
   */
  metrics(): StreamsMetric[] {
    const own = this.metricsRegistry.metrics();
    const ofWorkers = this.threads?.workerMetrics() ?? [];
    return ofWorkers.length === 0 ? own : [...own, ...ofWorkers];
  }

  /** The current state. */
  get state(): KafkaStreamsState {
    return this.subject.value;
  }

  /** Every state from the current one on, as an rxjs Observable. */
  get state$(): Observable<KafkaStreamsState> {
    return this.subject.asObservable();
  }

  /** Calls `listener(newState, oldState)` on every change. */
  onStateChange(listener: (newState: KafkaStreamsState, oldState: KafkaStreamsState) => void): void {
    let previous = this.state;
    this.subject.subscribe((next) => {
      if (next !== previous) listener(next, previous);
      previous = next;
    });
  }

  /** Decides what happens when processing throws (default: shut this client down). */
  setUncaughtExceptionHandler(handler: (error: unknown) => UncaughtExceptionResponse): void {
    this.handler = handler;
  }

  /**
   * The cluster to run on: a Kafka-protocol cluster when `bootstrap.servers` is set (instances of
   * one application then share the tasks), else the given engine, else the engine in `log.dirs`.
   */
  private async openCluster(): Promise<Cluster> {
    const servers = this.config.bootstrapServers;
    if (servers !== undefined) {
      if (this.options.engine !== undefined) throw new StreamsError('INVALID_CONFIG', 'give either "bootstrap.servers" or an engine, not both');
      const clientId = typeof this.config.raw['client.id'] === 'string' ? this.config.raw['client.id'] : this.config.applicationId;
      return KafkaCluster.connect({ bootstrapServers: [...servers], clientId, groupId: this.config.applicationId, clients: this.config.clients });
    }
    return this.options.engine === undefined ? await EmbeddedCluster.open(this.config.logDir) : EmbeddedCluster.of(this.options.engine);
  }

  /** Restores state and starts processing; resolves once the instance is RUNNING. */
  async start(): Promise<void> {
    if (this.state !== 'CREATED') throw new StreamsError('ILLEGAL_STATE', `KafkaStreams can start once, from CREATED; it is ${this.state}`);
    this.transition('REBALANCING');
    try {
      if (this.options.http !== undefined) this.httpEndpoint = await startConfiguredHttpEndpoint(this, this.options.http);
      this.stateLock = lockStateDirectory(this.topology, this.config.stateDir, this.config.applicationId);
      this.cluster = await this.openCluster();
      this.threads = new StreamThreads(this.topology, this.config, this.cluster, {
        localHost: this.localHost,
        threadName: (index) => `${this.clientId}-StreamThread-${index}`,
        metricsFor: (name) => (this.options.recordMetrics === false ? undefined : new ThreadMetrics(this.metricsRegistry, name)),
        onError: (error) => void this.onProcessingError(error),
        workers: workerThreadsPlan({
          topology: this.topology, applicationId: this.config.applicationId, config: this.config.raw, threads: this.config.numStreamThreads,
          topologyModule: this.options.topologyModule, recordMetrics: this.options.recordMetrics !== false,
        }),
      });
      await this.threads.start(this.config.numStreamThreads);
    } catch (error) {
      await this.fail();
      // The caller gets the error; an endpoint left listening would keep the process alive.
      await this.closeHttpEndpoint();
      throw error;
    }
    this.transition('RUNNING');
    this.threads.launch();
  }

  /**
   * Starts one more stream thread in this running instance (Kafka's `addStreamThread`): some tasks
   * move to it, each after its old thread committed it. Resolves to its name
   * (`<client.id>-StreamThread-<n>`, the lowest number free), or undefined unless the instance is
   * RUNNING or REBALANCING. Threads share Node's event loop: see docs/concepts.md.
   *
   * @example
   * const name = await streams.addStreamThread(); // 'orders-1-StreamThread-2'
   */
  async addStreamThread(): Promise<string | undefined> {
    if (!this.threadsChangeable()) return undefined;
    return this.threads!.add();
  }

  /**
   * Stops one stream thread of this running instance (Kafka's `removeStreamThread`): it commits and
   * closes its tasks, which move to the remaining threads. Resolves to its name, or undefined when
   * it is the last thread or the instance is not RUNNING or REBALANCING.
   *
   * @example
   * const removed = await streams.removeStreamThread(); // 'orders-1-StreamThread-1'
   */
  async removeStreamThread(): Promise<string | undefined> {
    if (!this.threadsChangeable()) return undefined;
    return this.threads!.remove();
  }

  /** Each stream thread of this instance with the ids of its active tasks and standby copies (as Kafka's `metadataForLocalThreads`). */
  metadataForLocalThreads(): LocalThreadMetadata[] {
    return this.threads?.metadataForLocalThreads() ?? [];
  }

  private threadsChangeable(): boolean {
    return this.threads !== undefined && (this.state === 'RUNNING' || this.state === 'REBALANCING') && this.closing === undefined;
  }

  /**
   * Stops processing, commits, writes checkpoints and closes the stores and the engine. Resolves
   * true once closed, or false when `timeoutMs` passed first (closing then goes on in the background).
   */
  async close(options: { timeoutMs?: number } = {}): Promise<boolean> {
    if (this.state === 'NOT_RUNNING' || this.state === 'ERROR') {
      await this.closeHttpEndpoint();
      return true;
    }
    this.closing ??= this.shutDown();
    if (options.timeoutMs === undefined) {
      await this.closing;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), options.timeoutMs)));
    const closed = await Promise.race([this.closing.then(() => true), timedOut]);
    clearTimeout(timer);
    return closed;
  }

  private async shutDown(): Promise<void> {
    this.transition('PENDING_SHUTDOWN');
    await this.threads?.close(true);
    await this.cluster?.close();
    this.stateLock?.release();
    await this.closeHttpEndpoint();
    this.transition('NOT_RUNNING');
  }

  /**
   * Where the `http` option's endpoint listens (its port when 0 was asked for), once `start()` has
   * begun; undefined without the option.
   */
  get httpAddress(): { host: string; port: number } | undefined {
    return this.httpEndpoint === undefined ? undefined : { host: this.httpEndpoint.host, port: this.httpEndpoint.port };
  }

  private async closeHttpEndpoint(): Promise<void> {
    const endpoint = this.httpEndpoint;
    this.httpEndpoint = undefined;
    await endpoint?.close();
  }

  /**
   * Deletes this application's local state (`<state.dir>/<application.id>`), so the next start
   * rebuilds every store from its changelog. Only while the instance is not running.
   */
  cleanUp(): void {
    if (this.state !== 'CREATED' && this.state !== 'NOT_RUNNING' && this.state !== 'ERROR') {
      throw new StreamsError('ILLEGAL_STATE', `cleanUp() needs a stopped instance; this one is ${this.state}`);
    }
    rmSync(join(this.config.stateDir, this.config.applicationId), { recursive: true, force: true });
  }

  /** Commits now (normally done every `commit.interval.ms`); for tests and orderly hand-overs. */
  async commit(): Promise<void> {
    await this.threads?.commit();
  }

  /** The description of the topology this instance runs (Kafka's describe() text via `toString()`). */
  topologyDescription(): TopologyDescription {
    return this.topology.describe();
  }

  /** The store restorations under way (empty once every task runs), for readiness probes. */
  restoreProgress(): StoreRestoreProgress[] {
    return this.threads?.restoreProgress() ?? [];
  }

  /**
   * A read-only view of a state store over every local task (Kafka's `KafkaStreams#store`), or —
   * given a task id and a store name — that one task's store itself.
   *
   * The view looks the tasks up on every read, so it follows them across rebalances. A read while
   * the instance is not RUNNING, is rebalancing, or holds no task of the store throws a
   * StreamsError `INVALID_STATE_STORE`: retry after a moment, or ask the instance that
   * `queryMetadataForKey` names. With stream threads in worker threads (`topologyModule`), each
   * read is one blocking round trip to the worker that runs the task, and a store asked for by
   * task id is a read-only view of it. See docs/interactive-queries.md.
   *
   * @example
   * const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
   * counts.get('alice');             // from whichever local task holds "alice"
   * [...counts.all()].length;        // every local task's entries, task after task
   */
  store<T>(parameters: StoreQueryParameters<T>): T;
  store<S>(taskId: string, name: string): S | undefined;
  store<T>(parameters: StoreQueryParameters<T> | string, name?: string): T | undefined {
    if (typeof parameters === 'string') return this.threads?.store(parameters, name!) as T | undefined;
    const { storeName, queryableStoreType, partition, staleStoresEnabled } = parameters;
    this.requireQueryable(`store("${storeName}")`);
    return queryableStoreType.create(storeName, () => {
      this.requireQueryable(`reading store "${storeName}"`);
      return localStoresFor(this.threads!.localStores(), storeName, { partition, staleStoresEnabled });
    });
  }

  /** This instance's `application.server` (where other instances send it queries), when set. */
  get applicationServer(): HostInfo | undefined {
    return this.localHost;
  }

  /**
   * Which instance holds `key` of `storeName` (Kafka's `queryMetadataForKey`): the host of the
   * active task of its partition, the hosts keeping standby copies, and the partition. Hosts are
   * the instances' `application.server` configs, exchanged through the group and current as of
   * the latest rebalance; `activeHost` is `{ host: 'unavailable', port: -1 }` until then. The
   * serializer must be the one the key was written with (the store's key serde).
   *
   * @example
   * const { activeHost } = streams.queryMetadataForKey('counts', 'alice', Serdes.String());
   * const url = `http://${activeHost.host}:${activeHost.port}/stores/counts/keys/alice`;
   */
  queryMetadataForKey<K>(storeName: string, key: K, keySerializer: KeySerializer<K>): KeyQueryMetadata {
    return this.metadataState('queryMetadataForKey').keyQueryMetadata(storeName, key, keySerializer);
  }

  /** The instances holding part of `storeName`, as active or standby (Kafka's `streamsMetadataForStore`). */
  streamsMetadataForStore(storeName: string): StreamsMetadata[] {
    return this.metadataState('streamsMetadataForStore').streamsMetadataForStore(storeName);
  }

  /** Every instance of the application that set `application.server`, with its stores and partitions (Kafka's `metadataForAllStreamsClients`). */
  metadataForAllStreamsClients(): StreamsMetadata[] {
    return this.metadataState('metadataForAllStreamsClients').metadataForAllStreamsClients();
  }

  private metadataState(what: string): NonNullable<StreamThreads['metadata']> {
    this.requireQueryable(what);
    return this.threads!.metadata!;
  }

  private requireQueryable(what: string): void {
    if ((this.state !== 'RUNNING' && this.state !== 'REBALANCING') || this.threads?.metadata === undefined) {
      throw new StreamsError('INVALID_STATE_STORE', `${what}: the KafkaStreams instance is ${this.state}, not RUNNING; ${this.state === 'CREATED' ? 'start() it first' : 'retry once it is RUNNING'}`);
    }
  }

  private async onProcessingError(error: unknown): Promise<void> {
    this.failedThreads++;
    log.error(`processing failed: ${error instanceof Error ? error.message : String(error)}`);
    // Another thread failed first: the client is already stopping.
    if (this.state === 'PENDING_ERROR' || this.state === 'ERROR') return;
    this.handler(error);
    await this.fail();
  }

  private async fail(): Promise<void> {
    this.transition('PENDING_ERROR');
    try {
      await this.threads?.close(false);
      await this.cluster?.close();
    } catch (closeError) {
      log.error(`closing after an error failed too: ${(closeError as Error).message}`);
    }
    this.stateLock?.release();
    this.transition('ERROR');
  }

  private transition(next: KafkaStreamsState): void {
    log.info(`state ${this.state} -> ${next}`);
    this.subject.next(next);
  }
}
