import { getLogger } from '../common/index.ts';
import type { Cluster, FetchedPage, IsolationLevel } from '../client/index.ts';
import type { ChangelogRecord } from '../state/index.ts';
import type { RestoreTracker } from './restore-progress.ts';
import type { StreamTask } from './task/stream-task.ts';
import type { TaskMetrics } from './task/task-metrics.ts';
import { changelogTopicFor } from './task/task-store-context.ts';

const log = getLogger('runtime');
/** Bytes of changelog one fetch asks for. */
const FETCH_BYTES = 1 << 20;
/** Milliseconds between two progress lines of a long restore. */
const PROGRESS_LOG_MS = 2000;

/**
 * Replays a task's changelogs into its stores (Kafka Streams' changelog reader): the full restore
 * of an active task before it processes — from the store's checkpoint when a persistent store has
 * one, else from the changelog's start — and the tail that standby copies apply as it grows.
 * Under exactly-once the changelogs are read read_committed, so aborted writes never reach a store.
 *
 * Every completed restore logs `task <id>: restored "<store>" from <topic>: <n> records in <ms> ms`.
 *
 * @example
 * const restorer = new ChangelogRestorer(cluster, 'orders-app', undefined, tracker);
 * await restorer.restoreActive(task, ['counts'], checkpoint, metrics);
 */
export class ChangelogRestorer {
  constructor(
    private readonly cluster: Cluster,
    private readonly applicationId: string,
    private readonly isolation: IsolationLevel | undefined,
    private readonly progress: RestoreTracker,
  ) {}

  /**
   * Brings each logged store of an active task up to its changelog's end, reporting progress and
   * `metrics` as it goes.
   */
  async restoreActive(task: StreamTask, loggedStores: readonly string[], checkpoint: ReadonlyMap<string, number> | undefined, metrics: TaskMetrics | undefined): Promise<void> {
    for (const store of loggedStores) {
      const topic = changelogTopicFor(this.applicationId, store);
      const { earliest, latest } = await this.cluster.offsets(topic, task.partition, this.isolation);
      let offset = startOffset(task, store, checkpoint, earliest);
      const total = latest - offset;
      if (total <= 0) continue;
      const started = Date.now();
      let restored = 0;
      let lastReport = started;
      this.progress.begin(task.taskId, store, total);
      metrics?.recordRestored(0, total);
      while (offset < latest) {
        const { records, nextOffset } = await this.cluster.fetch(topic, task.partition, offset, FETCH_BYTES, this.isolation);
        if (nextOffset <= offset) break;
        offset = nextOffset;
        if (records.length === 0) continue; // only markers or aborted records: read on
        await task.restore(store, changelogRecordsOf(records));
        // Persist each restored batch, so a large restore neither piles up in memory nor is lost.
        await task.getStore(store)?.flush();
        restored += records.length;
        this.progress.advance(task.taskId, store, restored);
        metrics?.recordRestored(records.length, total - restored);
        if (Date.now() - lastReport > PROGRESS_LOG_MS) {
          lastReport = Date.now();
          log.info(`task ${task.taskId}: restoring "${store}": ${restored} / ${total} records (${Math.round(restored / ((lastReport - started) / 1000))}/s)`);
        }
      }
      this.progress.end(task.taskId, store);
      metrics?.recordRestored(0, 0);
      log.info(`task ${task.taskId}: restored "${store}" from ${topic}: ${restored} records in ${Date.now() - started} ms`);
    }
  }

  /** Where a standby copy of `task` starts reading each logged store's changelog. */
  async standbyPositions(task: StreamTask, loggedStores: readonly string[], checkpoint: ReadonlyMap<string, number> | undefined): Promise<Map<string, number>> {
    const positions = new Map<string, number>();
    for (const store of loggedStores) {
      const { earliest } = await this.cluster.offsets(changelogTopicFor(this.applicationId, store), task.partition, this.isolation);
      positions.set(store, startOffset(task, store, checkpoint, earliest));
    }
    return positions;
  }

  /**
   * Applies what each changelog of a standby copy gained since `positions` (moved on in place);
   * returns how many records there were. The stores are flushed when the standby checkpoints.
   */
  async updateStandby(task: StreamTask, positions: Map<string, number>): Promise<number> {
    let applied = 0;
    for (const [store, position] of positions) {
      const { records, nextOffset } = await this.cluster.fetch(changelogTopicFor(this.applicationId, store), task.partition, position, FETCH_BYTES, this.isolation);
      positions.set(store, nextOffset);
      if (records.length === 0) continue;
      await task.restore(store, changelogRecordsOf(records));
      applied += records.length;
    }
    return applied;
  }
}

/** A persistent store resumes after its checkpoint (unless the changelog was truncated past it); any other store restores in full. */
function startOffset(task: StreamTask, store: string, checkpoint: ReadonlyMap<string, number> | undefined, earliest: number): number {
  const persistent = task.getStore(store)?.persistent === true;
  const checkpointed = checkpoint?.get(store);
  return persistent && checkpointed !== undefined ? Math.max(checkpointed, earliest) : earliest;
}

function changelogRecordsOf(records: FetchedPage['records']): ChangelogRecord[] {
  return records.map((r) => ({ key: r.key!, value: r.value, timestamp: r.timestamp }));
}
