import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LATEST_OFFSET } from './member-subscription.ts';
import { TaskCheckpoint } from './task-checkpoint.ts';

/**
 * Kafka Streams' task offset sums, which a member reports when it joins (KIP-441): for each task
 * it runs, `LATEST_OFFSET`; for each standby or warm-up copy, the sum of the changelog offsets it
 * has applied; for every other task with a directory under `appDir` holding a usable checkpoint
 * (state left from an earlier assignment or run), the sum of the checkpointed offsets.
 *
 * @example
 * offsetSumsOf(['0_0'], new Map([['0_1', 812]]), allTaskIds, '/var/kstreams/app'); // Map { '0_0' => -2, '0_1' => 812, ... }
 */
export function offsetSumsOf(active: readonly string[], standbys: ReadonlyMap<string, number>, taskIds: readonly string[], appDir: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const taskId of taskIds) {
    if (active.includes(taskId)) sums.set(taskId, LATEST_OFFSET);
    else if (standbys.has(taskId)) sums.set(taskId, standbys.get(taskId)!);
    else {
      const dir = join(appDir, taskId);
      if (!existsSync(dir)) continue;
      const read = TaskCheckpoint.read(dir);
      if (read.kind === 'found') sums.set(taskId, [...read.checkpoint.offsets.values()].reduce((a, b) => a + b, 0));
    }
  }
  return sums;
}
