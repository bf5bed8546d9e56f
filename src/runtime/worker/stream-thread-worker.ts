/**
 * The entry of a stream thread's worker thread (`num.stream.threads` with the `topologyModule`
 * option): rebuilds the topology from that module, checks it is the one the instance runs, and
 * runs one `StreamThread` on a `PortCluster` — the instance's cluster, reached through the main
 * thread — or, on a Kafka-protocol cluster, on its own connections for records (`SplitCluster`). The main thread drives it with the calls below (start, assign, run, stop, commit,
 * close); the thread's metrics and restorations go back every second as a `status` event, its
 * log lines as `log` events, and a failure of its loop as `loop-failed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { importUserModule } from '../user-module.ts';
import { KafkaCluster, type Cluster } from '../../client/index.ts';
import { StreamsError, setLogLevel, setLogSink, type LogLevel } from '../../common/index.ts';
import { MetricsRegistry, metricsSettingsOf } from '../../metrics/index.ts';
import type { HostInfo } from '../../query/index.ts';
import { Topology } from '../../topology/index.ts';
import { resolveConfig } from '../streams-config.ts';
import type { StreamsConfig } from '../streams-config-shape.ts';
import { StreamThread } from '../stream-thread.ts';
import { ThreadMetrics } from '../thread-metrics.ts';
import { PortCluster } from './port-cluster.ts';
import { PortRpc, sendableError } from './port-rpc.ts';
import { SplitCluster } from './split-cluster.ts';
import type { StoreQueryWorkerEnd } from './store-query-channel.ts';
import { serveStoreQueries } from './store-query-server.ts';

/** What the main thread gives a stream thread's worker. */
export interface StreamThreadWorkerData {
  /** Path or file URL of the module that builds the topology (see `KafkaStreamsOptions.topologyModule`). */
  readonly topologyModule: string;
  /** `describe().toString()` of the instance's topology: the module must build the same. */
  readonly topologyText: string;
  readonly config: StreamsConfig;
  readonly index: number;
  readonly threadName: string;
  readonly localHost: HostInfo | undefined;
  readonly commandLineTarget: string;
  readonly recordMetrics: boolean;
  /** The main thread's log level: lines at or above it go to the main thread's log sink. */
  readonly logLevel: LogLevel;
  /** Where the main thread's interactive queries arrive (see `StoreQueryChannel`). */
  readonly queries: StoreQueryWorkerEnd;
}

/** A log line of the worker, written by the main thread's logger. */
export interface WorkerLogLine {
  readonly level: LogLevel;
  readonly component: string;
  readonly message: string;
}

/** Tasks a worker's thread holds, sent after each change. */
export interface WorkerTasks {
  readonly active: string[];
  readonly standbys: string[];
}

const STATUS_INTERVAL_MS = 1_000;

/** The topology a module builds: its default export is a Topology, an app `{ topology }`, or a function returning either. */
export async function topologyFromModule(specifier: string): Promise<Topology> {
  const url = specifier.startsWith('file:') ? specifier : pathToFileURL(specifier).href;
  const module = await importUserModule(url);
  const exported = typeof module.default === 'function' ? await (module.default as () => unknown)() : module.default;
  const topology = exported instanceof Topology ? exported : (exported as { topology?: unknown } | undefined)?.topology;
  if (!(topology instanceof Topology)) {
    throw new StreamsError('INVALID_CONFIG', `topologyModule ${specifier} must default-export a Topology, { topology }, or a function returning one`);
  }
  return topology;
}

function main(data: StreamThreadWorkerData): void {
  const rpc = new PortRpc(parentPort!);
  setLogLevel(data.logLevel);
  setLogSink((level, component, message) => rpc.emit('log', { level, component, message } satisfies WorkerLogLine));
  const viaMain = new PortCluster(rpc, data.commandLineTarget);
  let cluster: Cluster = viaMain;
  const config = resolveConfig(data.config);
  const registry = new MetricsRegistry(metricsSettingsOf(config.raw));
  const metrics = data.recordMetrics ? new ThreadMetrics(registry, data.threadName) : undefined;
  let thread: StreamThread | undefined;
  let status: NodeJS.Timeout | undefined;
  const started = () => {
    if (thread === undefined) throw new StreamsError('ILLEGAL_STATE', `stream thread ${data.threadName} has not started`);
    return thread;
  };
  serveStoreQueries(data.queries.port, new Int32Array(data.queries.signal), () => thread, config.applicationId);
  const tasks = (): WorkerTasks => ({ active: thread?.activeTaskIds() ?? [], standbys: thread?.standbyTaskIds() ?? [] });
  const sendStatus = () => rpc.emit('status', {
    metrics: registry.metrics(), restores: thread?.restores.snapshot() ?? [], standbyOffsetSums: [...(thread?.standbyOffsetSums() ?? [])],
  });
  rpc.serve({
    start: async () => {
      const topology = await topologyFromModule(data.topologyModule);
      if (topology.describe().toString() !== data.topologyText) {
        throw new StreamsError('INVALID_CONFIG', `topologyModule ${data.topologyModule} builds a different topology than the one given to KafkaStreams; it must build the same one`);
      }
      const servers = config.bootstrapServers;
      if (servers !== undefined) {
        const own = await KafkaCluster.connect({ bootstrapServers: [...servers], clientId: data.threadName, groupId: config.applicationId, clients: config.clients });
        cluster = new SplitCluster(own, viaMain);
      }
      thread = new StreamThread(topology, config, cluster, metrics, data.localHost, { index: data.index });
      await thread.start();
      status = setInterval(sendStatus, STATUS_INTERVAL_MS);
      status.unref();
    },
    assign: async (active: string[], standbys: string[], orderly: boolean) => {
      await started().assign(active, standbys, orderly);
      sendStatus();
      return tasks();
    },
    run: () => {
      started().run().then(() => rpc.emit('loop-ended', null), (error: unknown) => rpc.emit('loop-failed', sendableError(error)));
    },
    stop: () => thread?.stop(),
    pauseForRebalance: () => thread?.pauseForRebalance(),
    resizeRecordCache: (streamThreads: number) => thread?.resizeRecordCache(streamThreads),
    commit: (enforceCheckpoint: boolean) => started().commit(enforceCheckpoint),
    close: async (clean: boolean) => {
      clearInterval(status);
      await thread?.close(clean);
      metrics?.unregister();
      await cluster.close();
      return tasks();
    },
  });
}

main(workerData as StreamThreadWorkerData);
