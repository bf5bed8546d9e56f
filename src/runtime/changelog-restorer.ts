import { StreamsError, getLogger, isStreamsError } from '../common/index.ts';
import type { Cluster, FetchedPage, IsolationLevel } from '../client/index.ts';
import type { ChangelogRecord } from '../state/index.ts';
import type { RestoreTracker } from './restore-progress.ts';
import type { StreamTask } from './task/stream-task.ts';
import type { TaskMetrics } from './task/task-metrics.ts';
import { changelogTopicFor } from './task/task-store-context.ts';
import { FETCH_BYTES } from './fetch-size.ts';

const log = getLogger('runtime');
/**
 * Restored records between two flushes of a store. A flush syncs to disk; stores that restore in
 * bulk write each page straight to disk, unsynced, so one sync per this many records bounds both
 * the memory a store without a bulk path buffers and what a crash makes the next start replay.
 */
const RESTORE_FLUSH_RECORDS = 200_000;
/** Milliseconds between two progress lines of a long restore. */
const PROGRESS_LOG_MS = 2000;

/**
 * Replays a task's changelogs into its stores (Kafka Streams' changelog reader): the full restore
 * of an active task before it processes — from the store's checkpoint when a persistent store has
 * one, else from the changelog's start — and the tail that standby copies apply as it grows.
 * Each fetched page goes to the store in one call (Kafka's `restoreAll`), which a LevelDB store
 * turns into one write batch. Under exactly-once the changelogs are read read_committed, so
 * aborted writes never reach a store.
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
   * `metrics` as it goes; each store is flushed when its restore ends.
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
      let unflushed = 0;
      let lastReport = started;
      this.progress.begin(task.taskId, store, total);
      metrics?.recordRestored(0, total);
      while (offset < latest) {
        const { records, nextOffset } = await this.cluster.fetch(topic, task.partition, offset, FETCH_BYTES, this.isolation);
        if (nextOffset <= offset) break;
        offset = nextOffset;
        if (records.length === 0) continue; // only markers or aborted records: read on
        await task.restore(store, changelogRecordsOf(records, topic, task.partition));
        restored += records.length;
        unflushed += records.length;
        if (unflushed >= RESTORE_FLUSH_RECORDS) {
          await task.getStore(store)?.flush();
          unflushed = 0;
        }
        this.progress.advance(task.taskId, store, restored);
        metrics?.recordRestored(records.length, total - restored);
        if (Date.now() - lastReport > PROGRESS_LOG_MS) {
          lastReport = Date.now();
          log.info(`task ${task.taskId}: restoring "${store}": ${restored} / ${total} records (${Math.round(restored / ((lastReport - started) / 1000))}/s)`);
        }
      }
      // What was restored is on disk (synced) before anything can write a checkpoint for it.
      await task.getStore(store)?.flush();
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
      const topic = changelogTopicFor(this.applicationId, store);
      const { records, nextOffset } = await this.fetchStandbyPage(topic, task.partition, position);
      if (records.length > 0) await task.restore(store, changelogRecordsOf(records, topic, task.partition));
      positions.set(store, nextOffset);
      applied += records.length;
    }
    return applied;
  }

  private async fetchStandbyPage(topic: string, partition: number, position: number): Promise<FetchedPage> {
    try {
      return await this.cluster.fetch(topic, partition, position, FETCH_BYTES, this.isolation);
    } catch (error) {
      if (!isStreamsError(error, 'OFFSET_OUT_OF_RANGE')) throw error;
      return fetchFromStart(this.cluster, topic, partition, position, this.isolation);
    }
  }
}

/**
 * A windowed store's changelog deletes expired records (`compact,delete`): a standby that fell
 * behind them reads on from the changelog's start, where a restore from scratch would begin too.
 */
async function fetchFromStart(cluster: Cluster, topic: string, partition: number, position: number, isolation: IsolationLevel | undefined): Promise<FetchedPage> {
  const { earliest } = await cluster.offsets(topic, partition, isolation);
  if (position >= earliest) throw new StreamsError('OFFSET_OUT_OF_RANGE', `changelog ${topic} partition ${partition} ends before offset ${position}, which a standby copy had read up to`, { location: { topic, partition, offset: position } });
  log.info(`standby copy of ${topic} partition ${partition}: offsets ${position} to ${earliest - 1} were deleted from the changelog; reading on from ${earliest}`);
  return { records: [], nextOffset: earliest };
}

/** A persistent store resumes after its checkpoint (unless the changelog was truncated past it); any other store restores in full. */
function startOffset(task: StreamTask, store: string, checkpoint: ReadonlyMap<string, number> | undefined, earliest: number): number {
  const persistent = task.getStore(store)?.persistent === true;
  const checkpointed = checkpoint?.get(store);
  return persistent && checkpointed !== undefined ? Math.max(checkpointed, earliest) : earliest;
}

/**
 * The fetched records as the store takes them (no copy: a fetched record has the fields of a
 * changelog record). Every changelog record carries its store key; one without is bad input.
 */
function changelogRecordsOf(records: FetchedPage['records'], topic: string, partition: number): ReadonlyArray<ChangelogRecord> {
  for (const record of records) {
    if (record.key === null) {
      throw new StreamsError('INVALID_RECORD', `changelog ${topic} partition ${partition} has a record without a key at offset ${record.offset}; a store cannot be restored from it`, { location: { topic, partition, offset: record.offset } });
    }
  }
  return records as ReadonlyArray<ChangelogRecord>;
}
