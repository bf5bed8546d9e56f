import { join } from 'node:path';
import { StreamsError, getLogger, isStreamsError, systemClock } from '../common/index.ts';
import { hasGroupMembership } from '../client/index.ts';
import type { Cluster, ClusterRecord, FetchedPage, IsolationLevel, TransactionalSender } from '../client/index.ts';
import { RecordCacheBudget, TaskRecordCache } from '../state/index.ts';
import type { StateStore } from '../state/index.ts';
import type { Topology } from '../topology/index.ts';
import { ClusterCollector } from './cluster-collector.ts';
import { prepareTopics, repartitionTopicsOf } from './internal-topics.ts';
import type { PlannedSubtopology } from './internal-topics.ts';
import { assignTasks, standbyTasksOf, tasksOf } from './task-assignor.ts';
import type { TaskAssignment } from './task-assignor.ts';
import { encodeSubscription } from './member-subscription.ts';
import { ChangelogEndOffsets } from './changelog-end-offsets.ts';
import { ProbingRebalance } from './probing-rebalance.ts';
import { offsetSumsOf } from './task-offset-sums.ts';
import type { ResolvedConfig } from './streams-config.ts';
import { planTasks } from './task-plan.ts';
import { TaskCheckpoint } from './task-checkpoint.ts';
import { openLocalTaskState } from './local-task-state.ts';
import { StreamTask } from './task/stream-task.ts';
import { deadLetterTopicOf, productionHandlerOf } from './task/exception-handler-config.ts';
import { changelogTopicFor } from './task/task-store-context.ts';

import { ProgressSummary } from './progress-summary.ts';
import { StreamsMetadataState, formatHostInfo } from '../query/index.ts';
import type { HostInfo } from '../query/index.ts';
import { instancesOf } from './group-instances.ts';
import type { LocalStores } from './local-store-lookup.ts';
import type { AssignableTask } from './task-assignor.ts';
import { processIdOf, transactionalIdOf } from './process-id.ts';
import type { ReadPosition } from './progress-summary.ts';
import { RestoreTracker } from './restore-progress.ts';
import { resetPosition, type ResetReason } from './offset-reset.ts';
import { ChangelogRestorer } from './changelog-restorer.ts';
import { GlobalTaskRunner } from './global-task-runner.ts';
import { StandbyCopies, durableWritesOf } from './standby-copies.ts';
import type { StandbyCopy } from './standby-copies.ts';
import { threadCacheBytes } from './thread-cache-size.ts';
import type { ThreadMetrics } from './thread-metrics.ts';
import type { TaskMetrics } from './task/task-metrics.ts';
import { FETCH_BYTES } from './fetch-size.ts';

const log = getLogger('runtime');
/** A task stops fetching while this many records wait in its buffers. */
const MAX_BUFFERED = 10_000;
/** Records a task processes between two looks at the clock for a due commit (a power of two, minus one). */
const SLICE_MASK = 1023;
/** The changelogs' end offsets a group leader assigns with are at most this old (they are also read when a rebalance starts). */
const END_OFFSETS_MAX_AGE_MS = 5_000;

interface RunningTask {
  readonly task: StreamTask;
  readonly dir: string;
  /** Next offset to fetch per input topic (this task's partition). */
  readonly positions: Map<string, number>;
  readonly loggedStores: readonly string[];
  /** Its sensors (active tasks of a thread that records metrics). */
  readonly metrics?: TaskMetrics | undefined;
  /** The changelog offsets its last checkpoint holds (undefined: none written since it started). */
  checkpointed?: ReadonlyMap<string, number> | undefined;
}

/**
 * Changelog records a task may write past its checkpoint before a commit writes a new one (Kafka's
 * OFFSET_DELTA_THRESHOLD_FOR_CHECKPOINT): a checkpoint costs two fsyncs, so writing one at every
 * commit took more time than the records in between; a crash replays at most this many records
 * more per task. Closing and handing a task over always write one.
 */
const CHECKPOINT_OFFSET_DELTA = 10_000;

/** Where a stream thread sits in its instance (an instance runs `num.stream.threads` of them). */
export interface ThreadPlacement {
  /** The thread's number in its instance, from 1: its transactional id under exactly-once ends with it. */
  readonly index: number;
  /** Global stores another thread of the instance has loaded and keeps current; undefined: this thread loads them. */
  readonly sharedGlobalStores?: Map<string, StateStore> | undefined;
  /** The instance's planner while its threads run in workers: plans tasks and holds the group membership, never runs a task (so opens no producer). */
  readonly plansOnly?: boolean;
}

/** What the instance tells the group and hears from it, for all of its threads (the group member is the instance). */
export interface InstanceMembership {
  /** The tasks and standby copies the instance's threads hold now, with the changelog offset sum each standby copy has reached. */
  ownedTasks(): { active: string[]; standbys: string[]; standbyOffsetSums: ReadonlyMap<string, number> };
  /** A rebalance began: every thread stops until its share of the new assignment arrives. */
  onRebalance(): void;
  /** The instance's new tasks and standby copies, to share among its threads. */
  onAssignment(active: string[], standbys: string[]): void;
}

/**
 * One processing loop of an application instance: owns the tasks the instance gives it (its
 * share of every partition of every sub-topology on the embedded engine, or of what the
 * application's group assigns the instance on a cluster), restores their stores, then fetches,
 * processes and commits; takes new assignments between iterations. The hot path is
 * synchronous per record; it awaits once per batch (fetch, produce, commit).
 */
export class StreamThread {
  private tasks: RunningTask[] = [];
  /** Every task of the application, by id, with its sub-topology and partition. */
  private readonly planned = new Map<string, { sub: PlannedSubtopology; partition: number }>();
  /** The task ids of an assignment not taken yet. */
  private pendingAssignment: string[] | undefined;
  /** The standby task ids of that assignment. */
  private pendingStandbys: string[] = [];
  /** Standby copies of other instances' tasks. */
  private readonly standbys: StandbyCopies;
  /** True from the start of a rebalance until its assignment arrives: no fetching, processing or committing. */
  private rebalancing = false;
  private globalStores = new Map<string, StateStore>();
  /** The instance's global task, when this thread keeps it current. */
  private global: GlobalTaskRunner | undefined;
  private collector!: ClusterCollector;
  private stopping = false;
  /** Processing a record (or a punctuation) threw: the collector still holds everything sent before it. */
  private failedWhileProcessing = false;
  private wake: (() => void) | undefined;
  private lastCommitMs = 0;
  private lastPurgeMs = 0;
  /** The topics purged after commits: this application's repartition topics, and nothing else. */
  private repartitionTopics: ReadonlySet<string> = new Set();
  private readonly summary: ProgressSummary;
  /** Which instance holds which tasks (interactive queries), from the latest assignment. */
  metadata: StreamsMetadataState | undefined;
  /** Assignments received, and the count when the instances' tasks were last read from the group (stale while lower). */
  private assignmentsReceived = 0;
  private instancesReadAt = 0;
  /** True while an assignment is being taken (tasks closing, restoring): queries wait it out. */
  private assigning = false;
  private assignable: AssignableTask[] = [];
  /** Every store name of the topology (interactive queries check names against it on each read). */
  private readonly storeNames: ReadonlySet<string>;
  /** The restorations under way, for readiness probes. */
  readonly restores = new RestoreTracker();
  private readonly restorer: ChangelogRestorer;
  /** Under exactly_once_v2: this thread's transactional producer; every commit is one of its transactions. */
  private sender: TransactionalSender | undefined;
  /** Under exactly-once: `<application.id>-<process id>-<thread index>`. */
  private transactionalId: string | undefined;
  /** Records were processed (or sent) since the last commit: under exactly-once, a transaction holds them. */
  private uncommitted = false;
  /** Under exactly-once every read is read_committed (inputs, restores, standbys, global tables). */
  private readonly isolation: IsolationLevel | undefined;
  /** On the thread that joined the group: the changelogs' end offsets (for lags, if it leads) and the probing rebalance. */
  private changelogEnds: ChangelogEndOffsets | undefined;
  private probing: ProbingRebalance | undefined;
  /** True once `run()` loops: from then on assignments are taken between iterations. */
  private looping = false;
  /** Callers of `assign()` waiting for the loop to take their assignment. */
  private assignedWaiters: Array<() => void> = [];
  /** The pending assignment only moves tasks between this instance's threads: commit, rather than abort, what is open. */
  private pendingOrderly = false;
  /** The bytes this thread's tasks may keep in their record caches together. */
  private readonly cacheBudget: RecordCacheBudget;

  constructor(
    private readonly topology: Topology,
    private readonly config: ResolvedConfig,
    private readonly cluster: Cluster,
    private readonly metrics?: ThreadMetrics,
    private readonly localHost: HostInfo | undefined = undefined,
    private readonly placement: ThreadPlacement = { index: 1 },
  ) {
    this.summary = new ProgressSummary(config.logSummaryIntervalMs, Date.now());
    this.storeNames = new Set(topology.stores.keys());
    this.isolation = config.processingGuarantee === 'exactly_once_v2' ? 'read_committed' : undefined;
    this.restorer = new ChangelogRestorer(cluster, config.applicationId, this.isolation, this.restores);
    this.standbys = new StandbyCopies(this.restorer, (taskId) => this.openStandby(taskId));
    this.cacheBudget = new RecordCacheBudget(threadCacheBytes(config.raw, topology, config.numStreamThreads));
  }

  /** Gives this thread's record caches their part of the instance's cache for `streamThreads` threads (Kafka resizes on addStreamThread/removeStreamThread). */
  resizeRecordCache(streamThreads: number): void {
    this.cacheBudget.resize(threadCacheBytes(this.config.raw, this.topology, streamThreads));
  }

  /**
   * Plans the tasks, creates internal topics and loads global stores (unless another thread of the
   * instance shares its own). Takes no task: the instance hands them out with `assign()`.
   */
  async start(): Promise<void> {
    const plan = planTasks(this.topology, this.config.applicationId);
    const subtopologies = await prepareTopics(this.topology, plan, this.config.applicationId, this.cluster);
    this.repartitionTopics = new Set(repartitionTopicsOf(this.topology, this.config.applicationId).keys());
    const partitionCounts = new Map<string, number>();
    const deadLetterTopic = deadLetterTopicOf(this.config.raw);
    const outputTopics = deadLetterTopic === undefined ? [...plan.sinkTopics] : [...plan.sinkTopics, deadLetterTopic];
    for (const topic of outputTopics) {
      const count = await this.cluster.partitionCount(topic);
      if (count === undefined) {
        throw new StreamsError('UNKNOWN_TOPIC', `output topic "${topic}" does not exist; create it first (e.g. \`kstreams topics create ${topic} ${this.cluster.commandLineTarget}\`)`, { location: { topic } });
      }
      partitionCounts.set(topic, count);
    }
    if (this.config.processingGuarantee === 'exactly_once_v2' && this.placement.plansOnly !== true) {
      const appDir = join(this.config.stateDir, this.config.applicationId);
      const processId = processIdOf(appDir, this.topology.stores.size > 0);
      this.transactionalId = transactionalIdOf(this.config.applicationId, processId, this.placement.index);
      this.sender = await this.cluster.transactionalSender(this.transactionalId);
    }
    // Under exactly-once the collector sends through whichever producer the thread holds now (a fenced one is replaced).
    const target = this.sender === undefined ? this.cluster : { produce: (topic: string, records: readonly ClusterRecord[]) => this.sender!.produce(topic, records) };
    this.collector = new ClusterCollector(target, partitionCounts, productionHandlerOf(this.config.raw, deadLetterTopic), this.sender !== undefined);
    if (this.placement.sharedGlobalStores === undefined && plan.global !== undefined) {
      this.global = await GlobalTaskRunner.start(plan.global, this.config, this.cluster, this.collector, this.isolation);
    }
    this.globalStores = this.placement.sharedGlobalStores ?? new Map(this.global?.stores ?? []);
    for (const sub of subtopologies) {
      for (let partition = 0; partition < sub.partitions; partition++) {
        this.planned.set(`${sub.topology.subtopologyId}_${partition}`, { sub, partition });
      }
    }
    this.metadata = new StreamsMetadataState({
      subtopologies: subtopologies.map((sub) => ({ id: sub.topology.subtopologyId, partitions: sub.partitions, inputTopics: sub.inputTopics, stores: sub.topology.stores.map((st) => st.builder.name) })),
      globalStores: [...this.globalStores.keys()],
    }, this.localHost);
    this.assignable = [...this.planned].map(([taskId, { sub, partition }]) => ({
      taskId, partition, inputTopics: sub.inputTopics,
      changelogTopics: loggedStoresOf(sub).map((store) => changelogTopicFor(this.config.applicationId, store)),
    }));
    if (!hasGroupMembership(this.cluster)) {
      this.metadata.update(this.localHost === undefined ? [] : [{ host: this.localHost, activeTasks: [...this.planned.keys()], standbyTasks: [] }]);
    }
    this.lastCommitMs = Date.now();
  }

  /** Every task of the application (after `start()`). */
  allTaskIds(): string[] {
    return [...this.planned.keys()];
  }

  /** True when the task has state stores (they are spread over the threads first). */
  isStateful(taskId: string): boolean {
    return (this.planned.get(taskId)?.sub.topology.stores.length ?? 0) > 0;
  }

  /** The global stores this thread reads (to share with the instance's other threads). */
  sharedGlobalStores(): Map<string, StateStore> {
    return this.globalStores;
  }

  /**
   * Joins the application's group on a Kafka-protocol cluster for the whole instance: one member
   * per instance, whatever its number of threads; the instance shares what it is assigned.
   */
  async joinGroup(instance: InstanceMembership): Promise<void> {
    const cluster = this.cluster;
    if (!hasGroupMembership(cluster)) return;
    const assignable = this.assignable;
    const settings = this.config.assignment;
    const taskIds = assignable.map((t) => t.taskId);
    const appDir = join(this.config.stateDir, this.config.applicationId);
    const ends = new ChangelogEndOffsets(cluster, assignable, this.isolation);
    this.changelogEnds = ends;
    // When the rebalance being assigned began (as far as this member saw): end offsets read before it are stale.
    let rebalanceSeenAt = Date.now();
    await ends.refresh();
    this.probing = new ProbingRebalance(settings.probingRebalanceIntervalMs, async () => {
      rebalanceSeenAt = Date.now();
      instance.onRebalance();
      await ends.refresh();
      await cluster.rejoinGroup();
    });
    // Set while this member, as the leader, computed the assignment now being handed out.
    let computed: { assignment: TaskAssignment; withEndOffsets: boolean } | undefined;
    await cluster.joinGroup({
      groupId: this.config.applicationId,
      topics: [...new Set(assignable.flatMap((t) => [...t.inputTopics, ...t.changelogTopics]))],
      userData: () => {
        const owned = instance.ownedTasks();
        return encodeSubscription({
          active: owned.active, standbys: owned.standbys, host: this.localHost && formatHostInfo(this.localHost),
          offsetSums: offsetSumsOf(owned.active, owned.standbyOffsetSums, taskIds, appDir),
        });
      },
      assignor: (members) => {
        // Stale end offsets could make a copy look caught up: without current ones, tasks stay where they run (as Kafka's fallback does) and the leader looks again at once.
        const withEndOffsets = ends.freshSinceMs >= rebalanceSeenAt;
        const assignment = assignTasks(assignable, members, { ...settings, endOffsetSum: (task) => (withEndOffsets ? ends.sumOf(task) : undefined) });
        computed = { assignment, withEndOffsets };
        if (assignment.warmups.length > 0 || assignment.movementsPending > 0) {
          log.info(`assignment: ${assignment.movementsPending} stateful task(s) stay on a caught-up instance while their new owner warms up; ` +
            `warm-up copies: ${assignment.warmups.map((w) => `${w.taskId} on ${w.memberId}`).join(', ') || 'none (max.warmup.replicas reached)'}` +
            (withEndOffsets ? '' : ' (assigned without current changelog end offsets)'));
        }
        return assignment.byMember;
      },
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      // Stop at once: the tasks may move; processing resumes when the new assignment is in.
      onRebalance: () => {
        rebalanceSeenAt = Date.now();
        ends.refresh().catch((error: unknown) => log.info(`reading the changelogs' end offsets failed (${(error as Error).message})`));
        instance.onRebalance();
      },
      onAssignment: (assignment) => {
        const pending = (computed?.assignment.movementsPending ?? 0) > 0;
        this.probing?.afterAssignment(pending, pending && computed?.withEndOffsets === false);
        computed = undefined;
        const active = tasksOf(assignment, assignable);
        instance.onAssignment(active, standbyTasksOf(assignment, assignable).filter((id) => !active.includes(id)));
      },
    });
  }

  /** A rebalance of the group began: nothing is fetched, processed or committed until `assign()`. */
  pauseForRebalance(): void {
    this.rebalancing = true;
  }

  /**
   * Gives this thread its tasks and standby copies; resolves once it has taken them (tasks that
   * left committed and closed, new ones restored). `orderly` when only the instance's threads
   * swap tasks: work in an open transaction is then committed, not aborted, before a task leaves.
   */
  async assign(active: readonly string[], standbys: readonly string[], orderly: boolean): Promise<void> {
    this.pendingAssignment = [...active];
    this.pendingStandbys = [...standbys];
    this.pendingOrderly = orderly;
    this.rebalancing = false;
    this.assignmentsReceived++;
    if (!this.looping) {
      await this.applyAssignment();
      return;
    }
    await new Promise<void>((resolve) => {
      this.assignedWaiters.push(resolve);
      this.wake?.();
    });
  }

  /**
   * Takes the latest assignment: commits, then closes the tasks that moved away; creates the new
   * ones and restores their stores from the changelogs (or from local state plus the changelog tail).
   */
  private async applyAssignment(): Promise<void> {
    this.assigning = true;
    try {
      await this.takeAssignment();
    } finally {
      this.assigning = false;
      this.releaseAssignedWaiters();
    }
  }

  private releaseAssignedWaiters(): void {
    const waiters = this.assignedWaiters;
    this.assignedWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async takeAssignment(): Promise<void> {
    const wanted = new Set(this.pendingAssignment ?? []);
    const wantedStandbys = new Set(this.pendingStandbys);
    const orderly = this.pendingOrderly;
    this.pendingAssignment = undefined;
    this.pendingStandbys = [];
    this.pendingOrderly = false;
    // Standby copies that are no longer wanted (or are promoted) hand their state over through their checkpoint.
    await this.standbys.release(wantedStandbys);
    if (this.sender !== undefined && this.uncommitted && !orderly) await this.abandonUncommittedWork();
    const revoked = this.tasks.filter((t) => !wanted.has(t.task.taskId));
    if (revoked.length > 0) {
      await this.commit(true);
      for (const running of revoked) {
        // Committed just now, so under exactly-once too its stores hold only committed writes.
        if (this.sender !== undefined) await this.writeCheckpoint(running);
        await running.task.close();
        this.metrics?.taskClosedMetrics(running.metrics);
      }
      this.tasks = this.tasks.filter((t) => wanted.has(t.task.taskId));
      log.info(`tasks moved away from this instance: ${revoked.map((t) => t.task.taskId).join(', ')} (thread ${this.placement.index})`);
    }
    const owned = new Set(this.tasks.map((t) => t.task.taskId));
    const added = [...wanted].filter((id) => !owned.has(id)).sort();
    if (added.length > 0) {
      const inputs = added.flatMap((taskId) => {
        const { sub, partition } = this.planned.get(taskId)!;
        return sub.inputTopics.map((topic) => ({ topic, partition }));
      });
      const committed = new Map((await this.cluster.committedOffsets(this.config.applicationId, this.isolation, inputs)).map((p) => [`${p.topic}-${p.partition}`, p.offset]));
      for (const taskId of added) this.tasks.push(await this.createTask(taskId, committed));
    }
    await this.standbys.openMissing(wantedStandbys);
    if (hasGroupMembership(this.cluster)) {
      log.info(`tasks of this instance: ${this.tasks.map((t) => t.task.taskId).join(', ') || 'none'}; standby copies: ${this.standbys.taskIds().join(', ') || 'none'} (thread ${this.placement.index})`);
    }
  }

  /**
   * A standby copy of a task (`num.standby.replicas`): its stores, kept current from the
   * changelogs, never processing. When it is promoted, its checkpoint lets the active task restore
   * only the changelog tail. Only persistent stores outlive the hand-over; in-memory ones restore
   * in full.
   */
  private async openStandby(taskId: string): Promise<StandbyCopy> {
    const { sub, partition } = this.planned.get(taskId)!;
    const dir = join(this.config.stateDir, this.config.applicationId, taskId);
    const { task, offsets: checkpoint } = await openLocalTaskState(taskId, dir, () => new StreamTask({
      topology: sub.topology, partition, config: this.config.raw, collector: this.collector, clock: systemClock,
      stateDirRoot: this.config.stateDir, globalStores: this.globalStores,
    }));
    const loggedStores = loggedStoresOf(sub);
    return { task, dir, positions: await this.restorer.standbyPositions(task, loggedStores, checkpoint), loggedStores };
  }

  private async createTask(taskId: string, committed: ReadonlyMap<string, number>): Promise<RunningTask> {
    const { sub, partition } = this.planned.get(taskId)!;
    const dir = join(this.config.stateDir, this.config.applicationId, taskId);
    const metrics = this.metrics?.taskMetrics(taskId);
    const { task, offsets: checkpoint } = await openLocalTaskState(taskId, dir, () => new StreamTask({
      topology: sub.topology,
      partition,
      ...(metrics === undefined ? {} : { metrics }),
      config: this.config.raw,
      collector: this.collector,
      clock: systemClock,
      stateDirRoot: this.config.stateDir,
      createRecordCache: () => new TaskRecordCache(this.cacheBudget, metrics?.cacheHitRatio),
      globalStores: this.globalStores,
    }));
    // Under exactly-once the stores take uncommitted writes from now on: a crash must not find a checkpoint vouching for them.
    if (this.sender !== undefined) TaskCheckpoint.remove(dir);
    const positions = new Map<string, number>();
    for (const topic of sub.inputTopics) {
      positions.set(topic, committed.get(`${topic}-${partition}`) ?? await this.resetPosition(sub, topic, partition, 'no committed offset'));
    }
    const running: RunningTask = { task, dir, positions, loggedStores: loggedStoresOf(sub), metrics };
    await this.restorer.restoreActive(task, running.loggedStores, checkpoint, metrics);
    task.completeRestoration();
    return running;
  }

  /**
   * Reads every instance's `application.server` and tasks from the group (after a rebalance) into
   * `metadata`. While the group is still settling, it stays stale and is read again next iteration.
   */
  async refreshInstances(): Promise<void> {
    const cluster = this.cluster;
    const received = this.assignmentsReceived;
    if (this.instancesReadAt === received || this.rebalancing || !hasGroupMembership(cluster)) return;
    try {
      const snapshot = await cluster.describeGroupMembers(this.config.applicationId);
      if (!snapshot.stable || this.rebalancing) return;
      this.metadata?.update(instancesOf(snapshot, this.assignable));
      // An assignment that arrived meanwhile leaves it stale: it is read again next iteration.
      this.instancesReadAt = received;
    } catch (error) {
      log.info(`reading the group's members for interactive queries failed (${(error as Error).message}); retrying`);
    }
  }

  private async loop(): Promise<void> {
    this.looping = true;
    while (!this.stopping) {
      if (this.pendingAssignment !== undefined) await this.applyAssignment();
      if (this.rebalancing) {
        await this.idle();
        continue;
      }
      await this.refreshInstances();
      const fromGlobal = (await this.global?.fetch()) ?? 0;
      const pollStarted = performance.now();
      const polled = await this.fetchAll();
      const pollLatency = performance.now() - pollStarted;
      const fetched = fromGlobal + polled + (await this.standbys.update());
      // Ranges the buffered records will read are loaded once per batch (stores whose keys stay on disk).
      await Promise.all(this.tasks.map(({ task }) => task.prefetchBuffered()));
      const processStarted = performance.now();
      const nowMs = Date.now();
      if (this.metrics !== undefined) {
        this.metrics.recordPoll(polled, pollLatency, nowMs);
        for (const running of this.tasks) running.metrics!.nowMs = nowMs;
      }
      let processed = 0;
      for (const { task } of this.tasks) {
        try {
          while (task.process()) {
            task.maybePunctuateStreamTime();
            // A commit that is due is not held back by a large backlog (under exactly-once an open
            // transaction must end well within its timeout): each task then takes at most a slice.
            if ((++processed & SLICE_MASK) === 0 && this.commitDue()) break;
          }
          task.maybePunctuateSystemTime();
        } catch (error) {
          this.failedWhileProcessing = true;
          throw error;
        }
      }
      this.metrics?.recordProcessing(processed, performance.now() - processStarted, nowMs);
      if (processed > 0 || this.collector.pending > 0) this.uncommitted = true;
      this.summary.recordProcessed(processed);
      try {
        await this.collector.flush();
        if (this.commitDue() || this.tasks.some((t) => t.task.commitRequested)) await this.commit();
      } catch (error) {
        if (!this.canRejoinAfter(error)) throw error;
        await this.rejoinAfterFencing(error);
        continue;
      }
      await this.summary.maybeLog(Date.now(), this.cluster, () => this.readPositions());
      this.changelogEnds?.refreshIfOlderThan(END_OFFSETS_MAX_AGE_MS, Date.now());
      if (fetched === 0 && processed === 0 && !this.stopping) await this.idle();
    }
  }

  /** Runs until `stop()`; rejects when processing fails. Whoever waits on `assign()` is released when the loop ends. */
  async run(): Promise<void> {
    try {
      await this.loop();
    } finally {
      this.releaseAssignedWaiters();
    }
  }

  private commitDue(): boolean {
    return Date.now() - this.lastCommitMs >= this.config.commitIntervalMs;
  }

  /** Fetches every input partition of every task with room in its buffer, all at once (one round trip, not one per partition). */
  private async fetchAll(): Promise<number> {
    const wanted = this.tasks.filter(({ task }) => task.bufferedCount() < MAX_BUFFERED)
      .flatMap((running) => [...running.positions].map(([topic, position]) => ({ running, topic, position })));
    const pages = await Promise.all(wanted.map(({ running, topic, position }) => this.fetchInput(running, topic, position)));
    // Serdes with async set-up (registry schemas) prepare once per batch, outside the per-record path.
    await Promise.all(wanted.map(({ running, topic }, i) => (pages[i]!.records.length === 0 ? undefined : running.task.prepareRecords(topic, pages[i]!.records))));
    let fetched = 0;
    wanted.forEach(({ running, topic }, i) => {
      const { records, nextOffset } = pages[i]!;
      running.positions.set(topic, nextOffset);
      if (records.length === 0) return;
      running.task.addRecords(topic, records);
      fetched += records.length;
    });
    return fetched;
  }

  /**
   * One page of an input partition. A position the log no longer holds (retention or DeleteRecords
   * removed records not yet read) moves by the reset policy, as Kafka's consumer does, and the page
   * is empty this time.
   */
  private async fetchInput(running: RunningTask, topic: string, position: number): Promise<FetchedPage> {
    const { partition } = running.task;
    try {
      return await this.cluster.fetch(topic, partition, position, FETCH_BYTES, this.isolation);
    } catch (error) {
      if (!isStreamsError(error, 'OFFSET_OUT_OF_RANGE')) throw error;
      const nextOffset = await this.resetPosition(this.planned.get(running.task.taskId)!.sub, topic, partition, 'out of range');
      log.warn(`input topic "${topic}" partition ${partition}: offset ${position} is no longer in the log; reading on from offset ${nextOffset}`);
      return { records: [], nextOffset };
    }
  }

  /** Where an input partition starts: its source's own reset policy, else `auto.offset.reset`. */
  private resetPosition(sub: PlannedSubtopology, topic: string, partition: number, reason: ResetReason): Promise<number> {
    return resetPosition(this.cluster, topic, partition, sub.offsetResets.get(topic) ?? this.config.autoOffsetReset, reason, this.isolation);
  }

  /** Sets `records-lag` of every input partition: log end minus the next offset to fetch (updated at each commit). */
  private async updateLags(metrics: ThreadMetrics): Promise<void> {
    const positions = this.readPositions();
    for (const { topic, partition, position } of positions) {
      const { latest } = await this.cluster.offsets(topic, partition);
      metrics.setLag(topic, partition, Math.max(0, latest - position));
    }
    metrics.retainLags(positions);
  }

  /** Every input partition of this instance's tasks and the next offset it will fetch. */
  private readPositions(): ReadPosition[] {
    return this.tasks.flatMap(({ task, positions }) => [...positions].map(([topic, position]) => ({ topic, partition: task.partition, position })));
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.config.pollMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /**
   * Commit: flush every store (its changelog writes reach the collector), send everything
   * collected, then commit the input offsets. At-least-once: in that order, never the other way
   * round. Exactly-once: the writes went into this thread's open transaction, the offsets join it
   * and it commits — all of it visible to read_committed readers at once, or none of it. No
   * checkpoint is written then (see `createTask`): only a clean close writes one. At-least-once
   * writes each task's checkpoint when `enforceCheckpoint` (closing, handing tasks over) or once its
   * changelogs moved more than CHECKPOINT_OFFSET_DELTA records past the last one.
   */
  async commit(enforceCheckpoint = false): Promise<void> {
    if (this.rebalancing) return;
    const started = performance.now();
    await this.global?.commit();
    for (const { task } of this.tasks) await task.commit();
    await this.collector.flush();
    const positions = this.tasks.flatMap(({ task }) =>
      [...task.committableOffsets()].map(([topic, offset]) => ({ topic, partition: task.partition, offset })));
    if (this.sender !== undefined) {
      await this.sender.commit(this.config.applicationId, positions);
      this.uncommitted = false;
    } else {
      if (positions.length > 0) await this.cluster.commitOffsets(this.config.applicationId, positions);
      for (const running of this.tasks) await this.writeCheckpoint(running, enforceCheckpoint);
    }
    await this.standbys.checkpointAll();
    this.lastCommitMs = Date.now();
    this.metrics?.commit.record(performance.now() - started, this.lastCommitMs);
    this.summary.recordCommit();
    if (this.metrics !== undefined) await this.updateLags(this.metrics);
    await this.maybePurgeRepartitionTopics(positions);
  }

  /**
   * Repartition topics exist only to hand records from one sub-topology to the next, and keep them
   * forever (retention.ms -1) until consumed: at most every `repartition.purge.interval.ms`, the
   * records before the offsets just committed are deleted. A failed purge is retried next time
   * and never stops processing.
   */
  private async maybePurgeRepartitionTopics(committed: ReadonlyArray<{ topic: string; partition: number; offset: number }>): Promise<void> {
    if (Date.now() - this.lastPurgeMs < this.config.repartitionPurgeIntervalMs) return;
    this.lastPurgeMs = Date.now();
    const purgeable = committed.filter((c) => this.repartitionTopics.has(c.topic));
    await Promise.all(purgeable.map(async ({ topic, partition, offset }) => {
      try {
        await this.cluster.deleteRecords(topic, partition, offset);
      } catch (error) {
        log.warn(`purging ${topic}-${partition} before offset ${offset} failed (${(error as Error).message}); retrying at a later commit`);
      }
    }));
  }

  /** Asks the loop to end after its current iteration. */
  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  /**
   * Commits, writes checkpoints and closes every task (after `run()` has returned). After a failure
   * while processing a record, the records processed before it are committed first: a task that
   * fails on the same record at every start then resumes at that record, instead of applying the
   * records before it once more on each start (their effects are already in the changelogs).
   */
  async close(clean: boolean): Promise<void> {
    this.probing?.close();
    if (this.sender !== undefined) await this.closeTransactional(clean);
    else if (clean && this.tasks.length > 0) await this.commit(true);
    else if (this.failedWhileProcessing && this.tasks.length > 0) {
      try {
        await this.commit(true);
        log.info('committed the records processed before the failure');
      } catch (error) {
        log.error(`could not commit the records processed before the failure: ${(error as Error).message}`);
      }
    }
    for (const running of this.tasks) {
      await running.task.close();
      this.metrics?.taskClosedMetrics(running.metrics);
    }
    this.tasks = [];
    await this.standbys.closeAll();
    await this.global?.close();
    this.global = undefined;
    this.releaseAssignedWaiters();
  }

  /**
   * Hands the global task (which this thread keeps current) over to `heir`, when this thread is
   * removed while its instance runs on; call after `run()` has returned.
   */
  handGlobalTaskTo(heir: StreamThread): void {
    if (this.global === undefined) return;
    heir.global = this.global;
    this.global = undefined;
  }

  /** True while this thread keeps the instance's global stores current. */
  get keepsGlobalTask(): boolean {
    return this.global !== undefined;
  }

  /** Ids of the active tasks this thread runs. */
  activeTaskIds(): string[] {
    return this.tasks.map((t) => t.task.taskId).sort();
  }

  /**
   * Exactly-once close: a clean one commits the last transaction and then checkpoints the stores
   * (they now hold only committed writes, so a restart restores just the changelog tail). Any other
   * close aborts the open transaction, the records processed before a failure included — they may
   * hold half of the failing record's effects — and leaves no checkpoint, so the next start
   * rebuilds the stores from the committed changelogs.
   */
  private async closeTransactional(clean: boolean): Promise<void> {
    const sender = this.sender!;
    if (clean && this.tasks.length > 0) {
      await this.commit();
      for (const running of this.tasks) await this.writeCheckpoint(running);
    } else {
      // A fenced producer cannot abort; its transaction is aborted by the fencing or the timeout anyway.
      await sender.abort().catch((error: unknown) => log.info(`aborting the open transaction failed: ${(error as Error).message}`));
    }
    await sender.close().catch(() => undefined);
  }

  /** Fenced under exactly-once on a cluster with a group: the thread missed a rebalance, and can rejoin. */
  private canRejoinAfter(error: unknown): error is StreamsError {
    return this.sender !== undefined && isStreamsError(error, 'PRODUCER_FENCED') && hasGroupMembership(this.cluster) && !this.stopping;
  }

  /**
   * Kafka Streams' answer to a fenced transaction (TaskMigratedException): this instance dropped
   * out of the group while its transaction was open (a long stall, a lost session), and the group
   * gave its tasks to others, who resumed from the last commit. The open transaction is aborted, the
   * tasks close without a checkpoint, a new transactional producer replaces the fenced one, and the
   * instance joins the group again; what it is assigned then restarts from the committed offsets.
   */
  private async rejoinAfterFencing(error: StreamsError): Promise<void> {
    log.warn(`${error.message}; closing tasks ${this.tasks.map((t) => t.task.taskId).join(', ') || '(none)'} without committing and rejoining the group`);
    this.rebalancing = true;
    this.collector.discard();
    await this.sender!.close().catch(() => undefined);
    this.uncommitted = false;
    for (const running of this.tasks) await running.task.close();
    this.tasks = [];
    this.sender = await this.cluster.transactionalSender(this.transactionalId!);
    if (hasGroupMembership(this.cluster)) await this.cluster.rejoinGroup();
  }

  /**
   * Under exactly-once, a rebalance arrived while a transaction held work: the tasks may have moved,
   * and their new owners resume from the last committed offsets, so this work must never become
   * visible. The transaction is aborted and every task closed without a checkpoint; the new
   * assignment then recreates them from the committed offsets and read_committed changelogs.
   */
  private async abandonUncommittedWork(): Promise<void> {
    await this.sender!.abort();
    this.uncommitted = false;
    for (const running of this.tasks) await running.task.close();
    log.info(`a rebalance arrived during a transaction: aborted it; tasks ${this.tasks.map((t) => t.task.taskId).join(', ') || 'none'} restart from their last commit`);
    this.tasks = [];
  }

  /**
   * After a commit the persistent stores hold exactly what their changelogs held at that moment
   * (later writes stay in memory until the next flush), so those changelog offsets are the point
   * to restore from after a crash.
   */
  private async writeCheckpoint(running: RunningTask, enforce = true): Promise<void> {
    if (!running.loggedStores.some((store) => running.task.getStore(store)?.persistent === true)) return;
    const offsets = new Map<string, number>();
    for (const store of running.loggedStores) {
      offsets.set(store, (await this.cluster.offsets(changelogTopicFor(this.config.applicationId, store), running.task.partition, this.isolation)).latest);
    }
    if (!enforce && running.checkpointed !== undefined && offsetDelta(running.checkpointed, offsets) <= CHECKPOINT_OFFSET_DELTA) return;
    TaskCheckpoint.write(running.dir, { offsets, durableWrites: durableWritesOf(running.task) });
    running.checkpointed = offsets;
  }

  /** Each standby copy's sum of the changelog offsets it has applied (its task offset sum, KIP-441). */
  standbyOffsetSums(): Map<string, number> {
    return this.standbys.offsetSums();
  }

  /** Ids of the standby copies this instance keeps. */
  standbyTaskIds(): string[] {
    return this.standbys.taskIds();
  }

  /** The local tasks and stores, for interactive queries. */
  localStores(): LocalStores {
    return {
      settled: !this.rebalancing && !this.assigning && this.pendingAssignment === undefined,
      activeTasks: this.tasks.map((t) => t.task),
      standbyTasks: this.standbys.tasks(),
      globalStores: this.globalStores,
      storeNames: this.storeNames,
    };
  }

  /** A store of one of the tasks, for interactive queries and tests. */
  store(taskId: string, name: string): unknown {
    return this.tasks.find((t) => t.task.taskId === taskId)?.task.getStore(name);
  }
}

/** How many changelog records `now` holds past `before`, over all of a task's stores. */
function offsetDelta(before: ReadonlyMap<string, number>, now: ReadonlyMap<string, number>): number {
  let delta = 0;
  for (const [store, offset] of now) delta += offset - (before.get(store) ?? 0);
  return delta;
}

/** Names of a sub-topology's stores that have a changelog. */
function loggedStoresOf(sub: PlannedSubtopology): string[] {
  return sub.topology.stores.filter((s) => s.builder.loggingEnabled).map((s) => s.builder.name);
}
