import { getLogger } from '../common/index.ts';
import type { Cluster, IsolationLevel } from '../client/index.ts';
import type { AssignableTask } from './task-assignor.ts';

const log = getLogger('runtime');

/**
 * The end offsets of the application's changelogs, as the group leader needs them to turn the
 * members' task offset sums into lags (KIP-441). The assignor runs synchronously inside the
 * group protocol, so the offsets are read ahead: before the first join, when a rebalance starts,
 * before a probing rebalance, and every few seconds otherwise. `freshSinceMs` tells the leader
 * whether they are newer than the rebalance it assigns for; older ones could make a copy look
 * caught up that is not.
 *
 * @example
 * const ends = new ChangelogEndOffsets(cluster, tasks);
 * await ends.refresh();
 * ends.sumOf(task); // sum of the task's changelog end offsets, or undefined before the first read
 */
export class ChangelogEndOffsets {
  private readonly ends = new Map<string, number>();
  private reading: Promise<void> | undefined;
  /** A read asked for while another was under way: it starts when that one ends. */
  private next: Promise<void> | undefined;
  private lastAskedMs = 0;
  private freshSince = -Infinity;

  constructor(
    private readonly cluster: Cluster,
    private readonly tasks: readonly AssignableTask[],
    private readonly isolation: IsolationLevel | undefined,
  ) {}

  /**
   * Reads every changelog partition's end offset; resolves once a read that started after this
   * call has ended (callers meanwhile share it).
   */
  refresh(): Promise<void> {
    this.lastAskedMs = Date.now();
    if (this.reading === undefined) return this.startRead();
    this.next ??= this.reading.catch(() => undefined).then(() => {
      this.next = undefined;
      return this.startRead();
    });
    return this.next;
  }

  /** Refreshes when the last one was asked for more than `maxAgeMs` ago; never throws (a failed read is logged and retried later). */
  refreshIfOlderThan(maxAgeMs: number, nowMs: number): void {
    if (nowMs - this.lastAskedMs < maxAgeMs) return;
    this.refresh().catch((error: unknown) => log.info(`reading the changelogs' end offsets failed (${(error as Error).message}); retrying later`));
  }

  /** When the latest completed read started: the offsets are at least this recent. */
  get freshSinceMs(): number {
    return this.freshSince;
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

  private startRead(): Promise<void> {
    const reading = this.read(Date.now()).finally(() => {
      if (this.reading === reading) this.reading = undefined;
    });
    this.reading = reading;
    return reading;
  }

  private async read(startedMs: number): Promise<void> {
    const partitions = this.tasks.flatMap((task) => task.changelogTopics.map((topic) => ({ topic, partition: task.partition })));
    const read = await Promise.all(partitions.map(async ({ topic, partition }) => [`${topic}\u0000${partition}`, (await this.cluster.offsets(topic, partition, this.isolation)).latest] as const));
    for (const [key, end] of read) this.ends.set(key, end);
    this.freshSince = Math.max(this.freshSince, startedMs);
  }
}
