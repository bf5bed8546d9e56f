/**
 * The stream threads of one KafkaStreams instance (`num.stream.threads`, `addStreamThread()`,
 * `removeStreamThread()`).
 *
 * Each thread owns a share of the instance's tasks, its own commits and, under exactly_once_v2,
 * its own transactional producer, so their semantics are Kafka Streams' threads'. Threads are
 * processing loops sharing Node's event loop (no extra CPU core), or — given `workers` — each runs
 * in a `worker_threads` Worker that rebuilds the topology, keeps its tasks' stores and reaches the
 * cluster through the main thread; a planner `StreamThread` in the main thread, running no task,
 * then plans the tasks and holds the group membership. The instance — not each
 * thread — is the member of the application's group on a Kafka-protocol cluster, so standby
 * copies are never placed on the instance that runs the active task; the instance then shares the
 * tasks it is assigned among its threads (see `distributeTasks`). A task moves between threads
 * only after its old thread committed and closed it, then its new thread restores it from the
 * local state the old one checkpointed.
 *
 * @example
 * const threads = new StreamThreads(topology, config, cluster, { ... });
 * await threads.start(2);
 * threads.launch();
 * await threads.add();    // 'app-1-StreamThread-3'
 * await threads.remove(); // 'app-1-StreamThread-1'
 */
import type { Cluster } from '../client/index.ts';
import { hasGroupMembership } from '../client/index.ts';
import { logLevel } from '../common/index.ts';
import type { StreamsMetric } from '../metrics/index.ts';
import type { HostInfo } from '../query/index.ts';
import type { Topology } from '../topology/index.ts';
import type { LocalStores } from './local-store-lookup.ts';
import type { StoreRestoreProgress } from './restore-progress.ts';
import type { ResolvedConfig } from './streams-config.ts';
import { StreamThread, type InstanceMembership } from './stream-thread.ts';
import { distributeTasks } from './thread-task-distribution.ts';
import type { ThreadMetrics } from './thread-metrics.ts';
import { WorkerStreamThread } from './worker/worker-stream-thread.ts';
import type { WorkerThreadsPlan } from './worker/worker-threads-plan.ts';

/** One thread of the instance, as `metadataForLocalThreads()` describes it. */
export interface LocalThreadMetadata {
  /** Kafka's thread name: `<client.id>-StreamThread-<n>`. */
  readonly threadName: string;
  /** Ids of the active tasks it runs (`<sub-topology>_<partition>`). */
  readonly activeTasks: readonly string[];
  /** Ids of the standby copies it keeps. */
  readonly standbyTasks: readonly string[];
}

/** What the threads need from their instance. */
export interface StreamThreadsContext {
  readonly localHost: HostInfo | undefined;
  /** `<client.id>-StreamThread-<index>`. */
  threadName(index: number): string;
  /** The sensors of a new thread, or undefined when the instance records no metrics. */
  metricsFor(threadName: string): ThreadMetrics | undefined;
  /** A thread's loop failed: the instance reacts (it stops every thread). */
  onError(error: unknown): void;
  /** Given: every thread runs in a worker thread that builds the topology from `topologyModule`. */
  readonly workers?: WorkerThreadsPlan | undefined;
}

/** How often the planner reads the group's members for interactive queries while threads run in workers. */
const REFRESH_INSTANCES_MS = 500;

interface RunningThread {
  readonly index: number;
  readonly name: string;
  readonly thread: StreamThread | WorkerStreamThread;
  readonly metrics: ThreadMetrics | undefined;
  /** Its loop, once launched: settles when the loop ends. */
  loop: Promise<void> | undefined;
}

export class StreamThreads {
  private threads: RunningThread[] = [];
  /** What the instance holds: every task on the embedded engine, the group's assignment on a cluster. */
  private instanceTasks: { active: string[]; standbys: string[] } = { active: [], standbys: [] };
  /** Adding, removing and sharing out run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private launched = false;
  /** False until the first join completes: an assignment that arrives during it is taken afterwards, as one step of `start()`. */
  private joined = false;
  /** Set by `close()`: no assignment is shared out any more. */
  private closed = false;
  /** With worker threads: the main thread's planner (tasks, group membership, instance metadata). */
  private planner: StreamThread | undefined;
  /** True while tasks move between threads: a moving task is on neither thread for a moment. */
  private sharing = false;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly topology: Topology,
    private readonly config: ResolvedConfig,
    private readonly cluster: Cluster,
    private readonly context: StreamThreadsContext,
  ) {}

  /** Starts `count` threads and shares the instance's tasks among them (restoring their stores). */
  async start(count: number): Promise<void> {
    if (this.context.workers !== undefined) {
      this.planner = new StreamThread(this.topology, this.config, this.cluster, undefined, this.context.localHost, { index: 0, plansOnly: true });
      await this.planner.start();
    }
    for (let i = 0; i < count; i++) await this.createThread();
    const first = this.lead();
    if (hasGroupMembership(this.cluster)) {
      await first.joinGroup(this.membership());
      this.joined = true;
      await this.serialized(() => this.shareTasks(false));
      await first.refreshInstances();
      // In-loop threads read the group's members in their loop; the planner runs no loop.
      if (this.planner !== undefined) {
        const planner = this.planner;
        this.refreshTimer = setInterval(() => void planner.refreshInstances(), REFRESH_INSTANCES_MS);
        this.refreshTimer.unref();
      }
    } else {
      this.instanceTasks = { active: first.allTaskIds(), standbys: [] };
      await this.shareTasks(false);
    }
  }

  /** Runs every thread's loop (and those of threads added later). */
  launch(): void {
    this.launched = true;
    for (const running of this.threads) this.launchOne(running);
  }

  /** Threads alive now. */
  get count(): number {
    return this.threads.length;
  }

  /** Adds a thread and moves tasks to it; resolves to its name. */
  add(): Promise<string> {
    return this.serialized(async () => {
      const running = await this.createThread();
      if (this.launched) this.launchOne(running);
      await this.shareTasks(true);
      return running.name;
    });
  }

  /**
   * Removes the oldest thread: it commits and closes its tasks, which then move to the remaining
   * threads. Resolves to its name, or undefined when it is the last one: the instance is the
   * group member, and a member without threads would hold tasks nobody processes.
   */
  remove(): Promise<string | undefined> {
    return this.serialized(async () => {
      if (this.threads.length <= 1) return undefined;
      const [removed] = this.threads.splice(0, 1);
      const { thread } = removed!;
      thread.stop();
      await removed!.loop?.catch(() => undefined);
      const heir = this.threads[0]!.thread;
      if (thread instanceof StreamThread && heir instanceof StreamThread) thread.handGlobalTaskTo(heir);
      await thread.close(true);
      removed!.metrics?.unregister();
      await this.shareTasks(true);
      return removed!.name;
    });
  }

  /** Stops every loop, then closes every thread (the one keeping the global stores last). */
  async close(clean: boolean): Promise<void> {
    this.closed = true;
    // A thread being added or removed finishes first, so none is left out of the close.
    await this.queue;
    for (const { thread } of this.threads) thread.stop();
    for (const running of this.threads) await running.loop?.catch(() => undefined);
    const ordered = [...this.threads].sort((a, b) => Number(a.thread.keepsGlobalTask) - Number(b.thread.keepsGlobalTask));
    let failure: unknown;
    for (const { thread } of ordered) {
      try {
        await thread.close(clean);
      } catch (error) {
        failure ??= error;
      }
    }
    clearInterval(this.refreshTimer);
    await this.planner?.close(clean).catch((error: unknown) => (failure ??= error));
    if (failure !== undefined) throw failure;
  }

  /** Commits every thread now, checkpoints included. */
  async commit(): Promise<void> {
    for (const { thread } of this.threads) await thread.commit(true);
  }

  /** Each thread with its tasks. */
  metadataForLocalThreads(): LocalThreadMetadata[] {
    return this.threads.map(({ name, thread }) => ({ threadName: name, activeTasks: thread.activeTaskIds(), standbyTasks: thread.standbyTaskIds() }));
  }

  restoreProgress(): StoreRestoreProgress[] {
    return this.threads.flatMap(({ thread }) => thread.restores.snapshot());
  }

  /** The metrics of the threads in workers, as they last reported them (in-loop threads record into the instance's registry). */
  workerMetrics(): StreamsMetric[] {
    return this.threads.flatMap(({ thread }) => (thread instanceof WorkerStreamThread ? thread.metrics() : []));
  }

  /** A store of one task, whichever thread runs it (a read-only `RemoteStore` when a worker thread runs it). */
  store(taskId: string, name: string): unknown {
    for (const { thread } of this.threads) {
      const store = thread.store(taskId, name);
      if (store !== undefined) return store;
    }
    return undefined;
  }

  /**
   * Every thread's tasks and stores, for interactive queries: settled only when every thread is
   * (and, with worker threads, the planner holding the membership) and no task is moving between them. A worker thread's stores are
   * read through its worker, synchronously (see `WorkerStreamThread.localStores`).
   */
  localStores(): LocalStores {
    const lead = this.lead().localStores();
    const parts = this.threads.map(({ thread }) => (thread instanceof WorkerStreamThread ? thread.localStores(lead.storeNames) : thread.localStores()));
    return {
      settled: !this.sharing && lead.settled && parts.every((p) => p.settled),
      activeTasks: parts.flatMap((p) => p.activeTasks),
      standbyTasks: parts.flatMap((p) => p.standbyTasks),
      globalStores: lead.globalStores,
      storeNames: lead.storeNames,
    };
  }

  /** Which instance holds which tasks (the threads agree: the member is the instance). */
  get metadata(): StreamThread['metadata'] {
    return this.threads.length === 0 ? undefined : this.lead().metadata;
  }

  /** The thread that plans tasks and holds the membership: the planner, or else the oldest thread. */
  private lead(): StreamThread {
    return this.planner ?? (this.threads[0]!.thread as StreamThread);
  }

  private async createThread(): Promise<RunningThread> {
    const used = new Set(this.threads.map((t) => t.index));
    // Kafka reuses the lowest number no live thread has.
    let index = 1;
    while (used.has(index)) index++;
    const name = this.context.threadName(index);
    const workers = this.context.workers;
    // A worker thread records its metrics in its own registry and reports them (see workerMetrics()).
    const metrics = workers === undefined ? this.context.metricsFor(name) : undefined;
    const thread = workers === undefined
      ? new StreamThread(this.topology, this.config, this.cluster, metrics, this.context.localHost, { index, sharedGlobalStores: (this.threads[0]?.thread as StreamThread | undefined)?.sharedGlobalStores() })
      : WorkerStreamThread.spawn({
        topologyModule: workers.topologyModule, topologyText: this.topology.describe().toString(), config: workers.config, index, threadName: name,
        localHost: this.context.localHost, commandLineTarget: this.cluster.commandLineTarget, recordMetrics: workers.recordMetrics, logLevel: logLevel(),
      }, this.cluster);
    const running: RunningThread = { index, name, thread, metrics, loop: undefined };
    try {
      await thread.start();
    } catch (error) {
      await thread.close(false).catch(() => undefined);
      metrics?.unregister();
      throw error;
    }
    // In the order they were created, as Kafka keeps them: `remove()` takes the oldest.
    this.threads.push(running);
    return running;
  }

  private launchOne(running: RunningThread): void {
    running.loop = running.thread.run();
    running.loop.catch((error: unknown) => this.context.onError(error));
  }

  /** The instance's part in the group: what its threads own, and how it takes an assignment. */
  private membership(): InstanceMembership {
    return {
      ownedTasks: () => ({
        active: this.threads.flatMap(({ thread }) => thread.activeTaskIds()),
        standbys: this.threads.flatMap(({ thread }) => thread.standbyTaskIds()),
        standbyOffsetSums: new Map(this.threads.flatMap(({ thread }) => [...thread.standbyOffsetSums()])),
      }),
      onRebalance: () => {
        for (const { thread } of this.threads) thread.pauseForRebalance();
      },
      onAssignment: (active, standbys) => {
        this.instanceTasks = { active, standbys };
        if (!this.joined) return;
        void this.serialized(() => this.shareTasks(false)).catch((error: unknown) => this.context.onError(error));
      },
    };
  }

  /**
   * Shares the instance's tasks among the threads in two steps, so no task is open on two threads
   * at once: first every thread gives up what moves elsewhere (committing it), then every thread
   * takes its whole share. `orderly` when the instance's tasks did not change (a thread was added
   * or removed): open transactions then commit instead of aborting.
   */
  private async shareTasks(orderly: boolean): Promise<void> {
    if (this.closed) return;
    // Every thread's record caches follow the thread count, as Kafka's resize on add/removeStreamThread.
    await Promise.all(this.threads.map(({ thread }) => thread.resizeRecordCache(this.threads.length)));
    this.sharing = true;
    try {
      await this.moveTasks(orderly);
    } finally {
      this.sharing = false;
    }
  }

  /** The two steps of `shareTasks`. */
  private async moveTasks(orderly: boolean): Promise<void> {
    const names = this.threads.map((t) => t.name);
    const first = this.lead();
    const ownerOf = (ids: (thread: StreamThread | WorkerStreamThread) => string[]) =>
      new Map(this.threads.flatMap((t) => ids(t.thread).map((id) => [id, t.name] as const)));
    const isStateful = (taskId: string) => first.isStateful(taskId);
    const active = distributeTasks(this.instanceTasks.active, names, ownerOf((t) => t.activeTaskIds()), isStateful);
    const standbys = distributeTasks(this.instanceTasks.standbys, names, ownerOf((t) => t.standbyTaskIds()), isStateful);
    await Promise.all(this.threads.map(({ name, thread }) => {
      const keptActive = thread.activeTaskIds().filter((id) => active.get(name)!.includes(id));
      const keptStandbys = thread.standbyTaskIds().filter((id) => standbys.get(name)!.includes(id));
      if (keptActive.length === thread.activeTaskIds().length && keptStandbys.length === thread.standbyTaskIds().length) return undefined;
      return thread.assign(keptActive, keptStandbys, orderly);
    }));
    await Promise.all(this.threads.map(({ name, thread }) => thread.assign(active.get(name)!, standbys.get(name)!, orderly)));
  }

  private serialized<T>(step: () => Promise<T>): Promise<T> {
    const result = this.queue.then(step);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
