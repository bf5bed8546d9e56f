/**
 * A stream thread that runs in a `worker_threads` Worker, as the main thread sees it: the same
 * calls as an in-loop `StreamThread` (start, assign, run, stop, commit, close), answered by the
 * worker (`stream-thread-worker.ts`), while the worker's cluster calls are answered here with the
 * instance's cluster. What the instance reads synchronously — task ids, restorations, metrics — is
 * the latest the worker reported.
 *
 * @example
 * const thread = WorkerStreamThread.spawn({ topologyModule: './app.ts', ... }, cluster);
 * await thread.start();
 * await thread.assign(['0_0', '0_2'], [], false);
 * const loop = thread.run();
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { StreamsError, getLogger } from '../../common/index.ts';
import type { Cluster } from '../../client/index.ts';
import type { StreamsMetric } from '../../metrics/index.ts';
import type { StoreRestoreProgress } from '../restore-progress.ts';
import { serveCluster } from './cluster-service.ts';
import { RemoteStore } from '../../query/index.ts';
import type { StateStore } from '../../state/index.ts';
import type { LocalStores, QueryableTask } from '../local-store-lookup.ts';
import { PortRpc, receivedError, type SentError } from './port-rpc.ts';
import { StoreQueryChannel } from './store-query-channel.ts';
import type { RemoteTaskDescription } from './store-query-messages.ts';
import type { StreamThreadWorkerData, WorkerLogLine, WorkerTasks } from './stream-thread-worker.ts';

/** Adds the "kstreams-source" export condition, so an app in the repository that imports 'kstreams' gets the sources (as bin/kstreams.js does). */
const SOURCE_CONDITION_HOOK = 'export const resolve = (specifier, context, next) => next(specifier, { ...context, conditions: [...context.conditions, "kstreams-source"] });';

/**
 * Starts the worker. It first registers tsx's loader (a Worker does not inherit the main thread's
 * loader hooks on every Node version), so the app's TypeScript topology module loads as it does
 * under `kstreams run`; from the TypeScript sources of the repository the entry is TypeScript too.
 */
function spawnWorker(data: StreamThreadWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./stream-thread-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  // tsx is a dependency of kstreams; its ESM API sits next to the CommonJS one require() finds.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const sourceCondition = fromSource ? `require('node:module').register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(SOURCE_CONDITION_HOOK)}`)});` : '';
  const bootstrap = `${sourceCondition} import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, transferList: [data.queries.port] });
}

export class WorkerStreamThread {
  private tasks: WorkerTasks = { active: [], standbys: [] };
  private latestRestores: StoreRestoreProgress[] = [];
  private latestMetrics: StreamsMetric[] = [];
  private latestStandbyOffsetSums = new Map<string, number>();
  private loopEnded: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private exited = false;
  /** The restorations under way in the worker, as last reported. */
  readonly restores = { snapshot: (): StoreRestoreProgress[] => this.latestRestores };
  /** A worker thread never keeps the global stores (topologies with global stores run in-loop threads). */
  readonly keepsGlobalTask = false;

  private constructor(
    private readonly worker: Worker,
    private readonly rpc: PortRpc,
    private readonly senders: { closeSenders(): Promise<void> },
    private readonly queries: StoreQueryChannel,
    name: string,
  ) {
    rpc.on<{ metrics: StreamsMetric[]; restores: StoreRestoreProgress[]; standbyOffsetSums: Array<[string, number]> }>('status', ({ metrics, restores, standbyOffsetSums }) => {
      this.latestMetrics = metrics;
      this.latestRestores = restores;
      this.latestStandbyOffsetSums = new Map(standbyOffsetSums);
    });
    rpc.on<WorkerLogLine>('log', ({ level, component, message }) => getLogger(component)[level](message));
    rpc.on('loop-ended', () => this.endLoop());
    rpc.on<SentError>('loop-failed', (error) => this.endLoop(receivedError(error)));
    worker.on('error', (error) => this.gone(error));
    worker.on('exit', (code) => this.gone(new StreamsError('ILLEGAL_STATE', `the worker of stream thread ${name} exited (code ${code})`)));
  }

  /** Starts a worker for one stream thread of the instance, reaching the cluster through this thread. */
  static spawn(data: Omit<StreamThreadWorkerData, 'queries'>, cluster: Cluster): WorkerStreamThread {
    const queries = StoreQueryChannel.open();
    const worker = spawnWorker({ ...data, queries: queries.workerEnd });
    const rpc = new PortRpc(worker);
    return new WorkerStreamThread(worker, rpc, serveCluster(rpc, cluster), queries, data.threadName);
  }

  /** Rebuilds the topology in the worker and prepares the thread (no task yet). */
  start(): Promise<void> {
    return this.rpc.call('start');
  }

  async assign(active: readonly string[], standbys: readonly string[], orderly: boolean): Promise<void> {
    this.tasks = await this.rpc.call<WorkerTasks>('assign', [active, standbys, orderly]);
  }

  /** Runs the worker's loop; settles when it ends (rejects when processing failed). */
  run(): Promise<void> {
    const ended = new Promise<void>((resolve, reject) => (this.loopEnded = { resolve, reject }));
    void this.rpc.call('run').catch((error: Error) => this.endLoop(error));
    return ended;
  }

  stop(): void {
    if (!this.exited) void this.rpc.call('stop').catch(() => undefined);
  }

  pauseForRebalance(): void {
    if (!this.exited) void this.rpc.call('pauseForRebalance').catch(() => undefined);
  }

  /** Gives the worker's record caches their part of the instance's cache for `streamThreads` threads. */
  async resizeRecordCache(streamThreads: number): Promise<void> {
    if (!this.exited) await this.rpc.call('resizeRecordCache', [streamThreads]);
  }

  /** Commits the worker's tasks; `enforceCheckpoint` writes their checkpoints too, as an in-loop thread's commit does. */
  commit(enforceCheckpoint = false): Promise<void> {
    return this.rpc.call('commit', [enforceCheckpoint]);
  }

  /** Commits (when clean), checkpoints and closes the worker's tasks, then ends the worker. */
  async close(clean: boolean): Promise<void> {
    try {
      if (!this.exited) this.tasks = await this.rpc.call<WorkerTasks>('close', [clean]);
    } finally {
      this.queries.close();
      await this.senders.closeSenders();
      this.exited = true;
      await this.worker.terminate();
    }
  }

  activeTaskIds(): string[] {
    return [...this.tasks.active];
  }

  standbyTaskIds(): string[] {
    return [...this.tasks.standbys];
  }

  /** How far the worker's standby copies have read their changelogs (KIP-441 lags), as last reported. */
  standbyOffsetSums(): Map<string, number> {
    return this.latestStandbyOffsetSums;
  }

  /** The thread's metrics, as last reported by the worker (about once a second). */
  metrics(): StreamsMetric[] {
    return this.latestMetrics;
  }

  /**
   * The worker's tasks and their stores, read now with one synchronous round trip: each store a
   * `RemoteStore` whose reads are answered by the worker (global stores never live in a worker).
   */
  localStores(storeNames: ReadonlySet<string>): LocalStores {
    const { settled, active, standbys } = this.queries.request({ op: 'tasks' });
    return {
      settled,
      activeTasks: active.map((task) => this.queryableTask(task, false)),
      standbyTasks: standbys.map((task) => this.queryableTask(task, true)),
      globalStores: new Map(),
      storeNames,
    };
  }

  /** One active task's store, read through the worker; undefined when the worker runs no such task or store. */
  store(taskId: string, name: string): StateStore | undefined {
    const task = this.queries.request({ op: 'tasks' }).active.find((t) => t.taskId === taskId);
    return task === undefined ? undefined : this.queryableTask(task, false).getStore(name);
  }

  private queryableTask(task: RemoteTaskDescription, standby: boolean): QueryableTask {
    const queries = this.queries;
    const { taskId, partition, state } = task;
    return {
      taskId,
      partition,
      state,
      getStore(name: string): StateStore | undefined {
        const found = task.stores.find((s) => s.name === name);
        if (found === undefined) return undefined;
        return new RemoteStore(name, found.kind, found.serdeTopic, (method, args) => queries.request({ op: 'read', taskId, standby, store: name, method, args }));
      },
    };
  }

  private endLoop(error?: Error): void {
    const waiting = this.loopEnded;
    this.loopEnded = undefined;
    if (error === undefined) waiting?.resolve();
    else waiting?.reject(error);
  }

  private gone(error: Error): void {
    if (this.exited) return;
    this.exited = true;
    // Queries fail at once instead of waiting out their timeout on a worker that is gone.
    this.queries.close();
    this.rpc.failPending(error);
    this.endLoop(error);
    void this.senders.closeSenders();
  }
}
