import type { MetricsRegistry, SampledStats } from '../metrics/index.ts';
import { TaskMetrics } from './task/task-metrics.ts';

const THREAD_GROUP = 'stream-thread-metrics';
const LAG_GROUP = 'consumer-fetch-manager-metrics';

/**
 * The sensors of one stream thread (group `stream-thread-metrics`, tag `thread-id`, all INFO, as
 * in Kafka): recorded once per loop iteration, never per record — `process-rate`/`-total` add up
 * the records of the iteration, `process-latency` is the iteration's time per record, as Kafka's
 * StreamThread records them. Also owns the per-partition consumer lag (`records-lag`).
 */
export class ThreadMetrics {
  readonly process: SampledStats;
  readonly processLatency: SampledStats;
  readonly processRecords: SampledStats;
  readonly poll: SampledStats;
  readonly pollRecords: SampledStats;
  readonly commit: SampledStats;
  readonly punctuate: SampledStats;
  readonly punctuateLatency: SampledStats;
  readonly taskCreated: SampledStats;
  readonly taskClosed: SampledStats;
  private readonly lags = new Map<string, { lag: number }>();

  constructor(private readonly registry: MetricsRegistry, readonly threadId: string) {
    const r = registry;
    const owner = { group: THREAD_GROUP, tags: { 'thread-id': threadId } };
    this.process = r.newStats();
    r.addRateAndTotal(this.process, owner, 'process', 'records processed', 'sum');
    this.processLatency = r.newStats();
    r.addAvgMax(this.processLatency, owner, 'process-latency', 'execution time in ms for processing, across all running tasks of this thread');
    this.processRecords = r.newStats();
    r.addAvgMax(this.processRecords, owner, 'process-records', 'number of records processed within an iteration');
    this.poll = r.newStats();
    r.addRateAndTotal(this.poll, owner, 'poll', 'calls to poll');
    r.addAvgMax(this.poll, owner, 'poll-latency', 'execution time in ms for polling, across all running tasks of this thread');
    this.pollRecords = r.newStats();
    r.addAvgMax(this.pollRecords, owner, 'poll-records', 'number of records polled from consumer within an iteration');
    this.commit = r.newStats();
    r.addRateAndTotal(this.commit, owner, 'commit', 'calls to commit');
    r.addAvgMax(this.commit, owner, 'commit-latency', 'execution time in ms for committing, across all running tasks of this thread');
    this.punctuate = r.newStats();
    r.addRateAndTotal(this.punctuate, owner, 'punctuate', 'calls to punctuate');
    this.punctuateLatency = r.newStats();
    r.addAvgMax(this.punctuateLatency, owner, 'punctuate-latency', 'execution time in ms for punctuating, across all running tasks of this thread');
    this.taskCreated = r.newStats();
    r.addRateAndTotal(this.taskCreated, owner, 'task-created', 'newly created tasks');
    this.taskClosed = r.newStats();
    r.addRateAndTotal(this.taskClosed, owner, 'task-closed', 'closed tasks');
    const started = registry.settings.nowMs();
    r.add({ name: 'thread-start-time', group: THREAD_GROUP, description: 'The time that the thread was started', tags: owner.tags }, () => started);
  }

  /** Removes every metric of this thread (its sensors, tasks and lags): the thread was removed from its instance. */
  unregister(): void {
    this.registry.removeTagged({ 'thread-id': this.threadId });
    this.registry.removeTagged({ 'client-id': `${this.threadId}-consumer` });
    this.lags.clear();
  }

  /** Wall-clock time for this iteration's recordings. */
  nowMs(): number {
    return this.registry.settings.nowMs();
  }

  /** One loop iteration's processing: `processed` records in `latencyMs`. */
  recordProcessing(processed: number, latencyMs: number, nowMs: number): void {
    if (processed === 0) return;
    this.process.record(processed, nowMs);
    this.processLatency.record(latencyMs / processed, nowMs);
    this.processRecords.record(processed, nowMs);
  }

  /** One poll (a fetch round over the tasks' partitions) that returned `records` in `latencyMs`. */
  recordPoll(records: number, latencyMs: number, nowMs: number): void {
    this.poll.record(latencyMs, nowMs);
    if (records > 0) this.pollRecords.record(records, nowMs);
  }

  /** The sensors of a task this thread creates (counted in `task-created-*`). */
  taskMetrics(taskId: string): TaskMetrics {
    this.taskCreated.record(1, this.nowMs());
    return new TaskMetrics(this.registry, this.threadId, taskId, this);
  }

  /** A task of this thread closed or moved away: its metrics go, `task-closed-*` counts it. */
  taskClosedMetrics(metrics: TaskMetrics | undefined): void {
    if (metrics === undefined) return;
    this.taskClosed.record(1, this.nowMs());
    metrics.close();
  }

  /**
   * Sets the lag of one input partition: records between the next offset to fetch and the log end,
   * as the consumer's `records-lag` (group `consumer-fetch-manager-metrics`, tags client-id, topic, partition).
   */
  setLag(topic: string, partition: number, lag: number): void {
    const key = `${topic}\u0000${partition}`;
    const known = this.lags.get(key);
    if (known !== undefined) {
      known.lag = lag;
      return;
    }
    const entry = { lag };
    this.lags.set(key, entry);
    this.registry.add({
      name: 'records-lag', group: LAG_GROUP, description: 'The latest lag of the partition',
      tags: { 'client-id': `${this.threadId}-consumer`, topic, partition: String(partition) },
    }, () => entry.lag);
  }

  /** Forgets the lag of partitions this thread no longer reads. */
  retainLags(keep: ReadonlyArray<{ topic: string; partition: number }>): void {
    const kept = new Set(keep.map((p) => `${p.topic}\u0000${p.partition}`));
    for (const key of [...this.lags.keys()]) {
      if (kept.has(key)) continue;
      const [topic, partition] = key.split('\u0000');
      this.lags.delete(key);
      this.registry.removeTagged({ 'client-id': `${this.threadId}-consumer`, topic: topic!, partition: partition! });
    }
  }
}
