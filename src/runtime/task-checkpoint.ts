import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/index.ts';

const FILE = '.checkpoint';

/**
 * A task's checkpoint: for each logged store, the changelog offset its local state has reached.
 * Written (atomically) on a clean close only and removed when the task starts, so after a crash
 * there is none and the store is rebuilt from its changelog instead of being trusted.
 */
export const TaskCheckpoint = {
  /** Reads and removes the checkpoint of the task directory; undefined when there was none. */
  take(taskDir: string): Map<string, number> | undefined {
    const path = join(taskDir, FILE);
    if (!existsSync(path)) return undefined;
    const offsets = new Map(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as { [store: string]: number }));
    rmSync(path);
    return offsets;
  },

  write(taskDir: string, offsets: ReadonlyMap<string, number>): void {
    if (!existsSync(taskDir)) return;
    writeFileAtomic(join(taskDir, FILE), JSON.stringify(Object.fromEntries(offsets)));
  },
};
