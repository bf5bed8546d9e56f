import { existsSync, rmSync } from 'node:fs';
import { getLogger, isStreamsError } from '../common/index.ts';
import { TaskCheckpoint, type Checkpoint } from './task-checkpoint.ts';
import type { StreamTask } from './task/stream-task.ts';

const log = getLogger('runtime');

/**
 * Opens a task's local state (`<state.dir>/<application.id>/<taskId>`) and decides how much of it
 * to trust; returns the initialised task and the changelog offsets its stores may resume from
 * (undefined: restore every store from the start of its changelog).
 *
 * State never silently goes back in time: when the directory's content cannot match its
 * checkpoint — the checkpoint is unreadable, a store cannot be opened (a damaged MANIFEST), or a
 * store holds fewer durable writes than the checkpoint vouches for (an emptied store directory, a
 * write-ahead log cut short by a power loss) — the directory is wiped and every store is restored
 * from its changelog, with one warning saying why. A directory without a checkpoint (the task
 * never committed) is wiped too, as before.
 *
 * @example
 * const { task, offsets } = await openLocalTaskState('0_1', dir, () => new StreamTask(options));
 */
export async function openLocalTaskState(
  taskId: string,
  dir: string,
  makeTask: () => StreamTask,
): Promise<{ task: StreamTask; offsets: ReadonlyMap<string, number> | undefined }> {
  const read = TaskCheckpoint.read(dir);
  if (read.kind !== 'found' && existsSync(dir)) {
    if (read.kind === 'unusable') distrust(taskId, dir, read.reason);
    else log.info(`task ${taskId}: no clean checkpoint, rebuilding its local state from the changelogs`);
    rmSync(dir, { recursive: true, force: true });
  }
  const task = makeTask();
  try {
    await task.initializeIfNeeded();
  } catch (error) {
    if (!isStreamsError(error, 'STORE_CORRUPTED')) throw error;
    await task.close();
    distrust(taskId, dir, error.message);
    return { task: await fresh(dir, makeTask), offsets: undefined };
  }
  if (read.kind !== 'found') return { task, offsets: undefined };
  const mismatch = mismatchOf(task, read.checkpoint);
  if (mismatch === undefined) return { task, offsets: read.checkpoint.offsets };
  await task.close();
  distrust(taskId, dir, mismatch);
  return { task: await fresh(dir, makeTask), offsets: undefined };
}

/** Why a persistent store cannot hold what the checkpoint vouches for, or undefined when every one can. */
function mismatchOf(task: StreamTask, checkpoint: Checkpoint): string | undefined {
  for (const [name, store] of task.durableStores()) {
    if (!checkpoint.offsets.has(name)) continue;
    const vouched = checkpoint.durableWrites.get(name);
    const held = store.durableWrites();
    if (vouched === undefined) return `its checkpoint gives store "${name}" a changelog offset but no count of durable writes`;
    if (held < vouched) {
      return `store "${name}" holds ${held} durable writes but its checkpoint vouches for ${vouched}: data at ${store.location} was lost ` +
        '(an emptied store directory, or a write-ahead log cut short by a crash or a power loss)';
    }
  }
  return undefined;
}

function distrust(taskId: string, dir: string, reason: string): void {
  log.warn(`task ${taskId}: ${reason}; wiping ${dir} and restoring its stores from their changelogs`);
}

async function fresh(dir: string, makeTask: () => StreamTask): Promise<StreamTask> {
  rmSync(dir, { recursive: true, force: true });
  const task = makeTask();
  await task.initializeIfNeeded();
  return task;
}
