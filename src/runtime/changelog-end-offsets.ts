import { getLogger } from '../common/index.ts';
import type { Cluster, IsolationLevel } from '../client/index.ts';
import type { AssignableTask } from './task-assignor.ts';

const log = getLogger('runtime');

/**
 * The end offsets of the application's changelogs, as the group leader needs them to turn the
 * members' task offset sums into lags (KIP-441). The assignor runs synchronously inside the
 * group protocol, so the offsets are read ahead: before the first join, when a rebalance starts,
 * before a probing rebalance, and at most every `maxAgeMs` otherwise; a lag is then at most that
 * old, which can only make a copy look a little more caught up than it is.
 *
 * @example
 * const ends = new ChangelogEndOffsets(cluster, tasks);
 * await ends.refresh();
 * ends.sumOf(task); // sum of the task's changelog end offsets, or undefined before the first read
 */
export class ChangelogEndOffsets {
  private readonly ends = new Map<string, number>();
  private reading: Promise<void> | undefined;
  private readAtMs = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly tasks: readonly AssignableTask[],
    private readonly isolation: IsolationLevel | undefined,
  ) {}

  /** Reads every changelog partition's end offset (one read at a time; a caller during a read shares it). */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  /** Refreshes when the offsets are older than `maxAgeMs`; never throws (a failed read is logged and retried later). */
  refreshIfOlderThan(maxAgeMs: number, nowMs: number): void {
    if (nowMs - this.readAtMs < maxAgeMs) return;
    this.readAtMs = nowMs;
    this.refresh().catch((error: unknown) => log.info(`reading the changelogs' end offsets failed (${(error as Error).message}); retrying later`));
  }

  /** The sum of the end offsets of the task's changelogs at its partition, or undefined when one is unknown. */
  sumOf(task: AssignableTask): number | undefined {
    let sum = 0;
    for (const topic of task.changelogTopics) {
      const end = this.ends.get(`${topic}\u0000${task.partition}`);
      if (end === undefined) return undefined;
      sum += end;
    }
    return sum;
  }

  private async read(): Promise<void> {
    const partitions = this.tasks.flatMap((task) => task.changelogTopics.map((topic) => ({ topic, partition: task.partition })));
    const read = await Promise.all(partitions.map(async ({ topic, partition }) => [`${topic}\u0000${partition}`, (await this.cluster.offsets(topic, partition, this.isolation)).latest] as const));
    for (const [key, end] of read) this.ends.set(key, end);
    this.readAtMs = Date.now();
  }
}
