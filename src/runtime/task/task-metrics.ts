import type { MetricsRegistry, Recorder, SampledStats } from '../../metrics/index.ts';
import type { StoreMetricsScope, StoreOperation, StoreOperationRecorder } from '../../state/index.ts';

const TASK_GROUP = 'stream-task-metrics';
const NODE_GROUP = 'stream-processor-node-metrics';
const CACHE_GROUP = 'stream-record-cache-metrics';
const STORE_GROUP = 'stream-state-metrics';
const STORE_OPERATIONS: readonly StoreOperation[] = ['put', 'put-if-absent', 'put-all', 'get', 'delete', 'range', 'all', 'prefix-scan', 'flush', 'restore'];

/** The thread-level sensors a task records into (punctuations run inside tasks). */
export interface ThreadPunctuateSensors {
  readonly punctuate: SampledStats;
  readonly punctuateLatency: SampledStats;
}

/**
 * The sensors of one active task and its processor nodes, with Kafka Streams' names: at INFO
 * `dropped-records-*` and the `record-e2e-latency-*` of source and terminal nodes; at DEBUG the
 * task's `process-*`, `record-lateness-*`, `punctuate-*` and the source nodes' `process-*`.
 * Everything is registered; sensors below `metrics.recording.level` record nothing, as in Kafka.
 * `nowMs` is set by the thread once per loop iteration, so recording reads no clock.
 */
export class TaskMetrics {
  /** Wall-clock time of the current loop iteration. */
  nowMs: number;
  readonly debug: boolean;
  readonly dropped: SampledStats;
  readonly process: SampledStats;
  readonly lateness: SampledStats;
  readonly punctuate: SampledStats;
  readonly restore: SampledStats;
  private restoreRemaining = 0;
  private readonly tags: Readonly<Record<string, string>>;

  constructor(
    private readonly registry: MetricsRegistry,
    threadId: string,
    taskId: string,
    readonly thread: ThreadPunctuateSensors,
  ) {
    this.nowMs = registry.settings.nowMs();
    this.debug = registry.records('DEBUG');
    this.tags = { 'thread-id': threadId, 'task-id': taskId };
    const owner = { group: TASK_GROUP, tags: this.tags };
    this.dropped = registry.newStats();
    registry.addRateAndTotal(this.dropped, owner, 'dropped-records', 'dropped records');
    this.process = registry.newStats();
    registry.addRateAndTotal(this.process, owner, 'process', 'calls to process');
    registry.addAvgMax(this.process, owner, 'process-latency', 'latency of calls to process');
    this.lateness = registry.newStats();
    registry.addAvgMax(this.lateness, owner, 'record-lateness',
      'lateness of records in milliseconds, measured by comparing the record timestamp with the current stream time');
    this.punctuate = registry.newStats();
    registry.addRateAndTotal(this.punctuate, owner, 'punctuate', 'calls to punctuate');
    registry.addAvgMax(this.punctuate, owner, 'punctuate-latency', 'latency of calls to punctuate');
    this.restore = registry.newStats();
    registry.addRateAndTotal(this.restore, owner, 'restore', 'records restored', 'sum');
    registry.add({ name: 'restore-remaining-records-total', group: TASK_GROUP, description: 'The number of records remaining to be restored', tags: this.tags },
      () => this.restoreRemaining);
  }

  /** Counts one dropped record (bad-record policy, late or null-keyed records dropped by an operator). */
  recordDropped(): void {
    this.dropped.record(1, this.nowMs);
  }

  /** A restored batch of `records` changelog records, `remaining` left (DEBUG, as Kafka's task-level restore sensors). */
  recordRestored(records: number, remaining: number): void {
    if (!this.debug) return;
    if (records > 0) this.restore.record(records, this.registry.settings.nowMs());
    this.restoreRemaining = remaining;
  }

  /** The end-to-end latency sensor of a source node (also counting its `process-*` at DEBUG). */
  sourceNode(nodeId: string): Recorder {
    const owner = { group: NODE_GROUP, tags: { ...this.tags, 'processor-node-id': nodeId } };
    const process = this.registry.newStats();
    this.registry.addRateAndTotal(process, owner, 'process', 'calls to process');
    const e2e = this.terminalNode(nodeId);
    return this.debug ? new CountingLatency(e2e, process) : e2e;
  }

  /** The end-to-end latency sensor of a terminal node (a sink, or a processor without children). */
  terminalNode(nodeId: string): SampledStats {
    const owner = { group: NODE_GROUP, tags: { ...this.tags, 'processor-node-id': nodeId } };
    const e2e = this.registry.newStats();
    this.registry.addAvgMax(e2e, owner, 'record-e2e-latency',
      'end-to-end latency of a record, measured by comparing the record timestamp with the system time when it has been fully processed by the node', true);
    return e2e;
  }

  /**
   * Registers the `hit-ratio-avg/min/max` of one store's share of the task's record cache (group
   * `stream-record-cache-metrics`, DEBUG) and returns where to record it, or undefined below DEBUG.
   * The recorded value is the store's hits over reads so far, after each read, as Kafka's NamedCache.
   */
  readonly cacheHitRatio = (storeName: string): ((hitRatio: number) => void) | undefined => {
    const stats = this.registry.newStats();
    this.registry.addAvgMax(stats, { group: CACHE_GROUP, tags: { ...this.tags, 'record-cache-id': storeName } }, 'hit-ratio', 'cache hit ratio', true);
    return this.debug ? (hitRatio) => stats.record(hitRatio, this.nowMs) : undefined;
  };

  /**
   * Registers a key-value store's `<operation>-rate` and `<operation>-latency-avg/max` (group
   * `stream-state-metrics`, tag `<scope>-state-id`, DEBUG) and returns where its metered layer
   * records them, or undefined below DEBUG.
   */
  readonly storeSensors = (storeName: string, scope: StoreMetricsScope): StoreOperationRecorder | undefined => {
    const owner = { group: STORE_GROUP, tags: { ...this.tags, [`${scope}-state-id`]: storeName } };
    const stats = {} as Record<StoreOperation, SampledStats>;
    for (const operation of STORE_OPERATIONS) {
      const operationStats = this.registry.newStats();
      this.registry.addRate(operationStats, owner, operation, `calls to ${operation}`);
      this.registry.addAvgMax(operationStats, owner, `${operation}-latency`, `latency of calls to ${operation} in ms`);
      stats[operation] = operationStats;
    }
    if (!this.debug) return undefined;
    return { record: (operation, latencyMs) => stats[operation].record(latencyMs, this.nowMs) };
  };

  /** Removes this task's metrics (the task closed or moved away). */
  close(): void {
    this.registry.removeTagged(this.tags);
  }
}

/** At DEBUG, a source node's e2e sensor also counts the node's `process-*`. */
class CountingLatency implements Recorder {
  constructor(private readonly e2e: SampledStats, private readonly process: SampledStats) {}

  record(value: number, nowMs: number): void {
    this.e2e.record(value, nowMs);
    this.process.record(1, nowMs);
  }
}
