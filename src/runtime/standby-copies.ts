import type { StreamTask } from './task/stream-task.ts';
import { TaskCheckpoint } from './task-checkpoint.ts';
import type { ChangelogRestorer } from './changelog-restorer.ts';

/** One standby copy: its task (stores only, never processing) and the changelog offset each logged store has reached. */
export interface StandbyCopy {
  readonly task: StreamTask;
  readonly dir: string;
  readonly positions: Map<string, number>;
  readonly loggedStores: readonly string[];
}

/** The number of the last durable write of each persistent store of a task, as its checkpoint records it. */
export function durableWritesOf(task: StreamTask): Map<string, number> {
  return new Map([...task.durableStores()].map(([name, store]) => [name, store.durableWrites()]));
}

/**
 * A stream thread's standby copies of other instances' tasks (`num.standby.replicas`): their
 * stores kept current from the changelogs, so a task moving here restores only the changelog
 * tail. A copy closes through a checkpoint, which is how its state reaches the active task that
 * may open the same directory next (only persistent stores outlive that hand-over).
 *
 * @example
 * const standbys = new StandbyCopies(restorer, (taskId) => openStandby(taskId));
 * await standbys.release(wanted); // before the active tasks change: a promoted copy checkpoints first
 * await standbys.openMissing(wanted);
 * await standbys.update(); // each loop iteration
 */
export class StandbyCopies {
  private readonly copies = new Map<string, StandbyCopy>();

  constructor(
    private readonly restorer: ChangelogRestorer,
    private readonly open: (taskId: string) => Promise<StandbyCopy>,
  ) {}

  /** Closes the copies not in `wanted` (or promoted to active tasks), each through its checkpoint. */
  async release(wanted: ReadonlySet<string>): Promise<void> {
    for (const [taskId, copy] of [...this.copies]) {
      if (wanted.has(taskId)) continue;
      await this.close(copy);
      this.copies.delete(taskId);
    }
  }

  /** Opens the copies in `wanted` not held yet. */
  async openMissing(wanted: ReadonlySet<string>): Promise<void> {
    for (const taskId of [...wanted].sort()) {
      if (!this.copies.has(taskId)) this.copies.set(taskId, await this.open(taskId));
    }
  }

  /** Applies new changelog records to every copy; returns how many there were. */
  async update(): Promise<number> {
    let applied = 0;
    for (const copy of this.copies.values()) applied += await this.restorer.updateStandby(copy.task, copy.positions);
    return applied;
  }

  /** Persists every copy's stores and the changelog offsets they reflect. */
  async checkpointAll(): Promise<void> {
    for (const copy of this.copies.values()) await this.checkpoint(copy);
  }

  async closeAll(): Promise<void> {
    for (const copy of this.copies.values()) await this.close(copy);
    this.copies.clear();
  }

  /** Each copy's sum of the changelog offsets it has applied (its task offset sum, KIP-441). */
  offsetSums(): Map<string, number> {
    return new Map([...this.copies].map(([taskId, copy]) => [taskId, [...copy.positions.values()].reduce((a, b) => a + b, 0)]));
  }

  /** Ids of the copies held, sorted. */
  taskIds(): string[] {
    return [...this.copies.keys()].sort();
  }

  /** The copies' tasks (interactive queries may read standby stores). */
  tasks(): StreamTask[] {
    return [...this.copies.values()].map((copy) => copy.task);
  }

  private async checkpoint(copy: StandbyCopy): Promise<void> {
    for (const store of copy.loggedStores) await copy.task.getStore(store)?.flush();
    if (copy.loggedStores.some((store) => copy.task.getStore(store)?.persistent === true)) {
      TaskCheckpoint.write(copy.dir, { offsets: copy.positions, durableWrites: durableWritesOf(copy.task) });
    }
  }

  private async close(copy: StandbyCopy): Promise<void> {
    await this.checkpoint(copy);
    await copy.task.close();
  }
}
