import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/index.ts';

const FILE = '.checkpoint';

/**
 * A task's checkpoint: for each logged store, the changelog offset its local state has reached.
 * Written atomically after every commit; a task directory without one is not trusted and its
 * stores are rebuilt from their changelogs.
 */
export const TaskCheckpoint = {
  /** The checkpoint of a task directory; undefined when there is none. */
  read(taskDir: string): Map<string, number> | undefined {
    const path = join(taskDir, FILE);
    if (!existsSync(path)) return undefined;
    return new Map(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as { [store: string]: number }));
  },

  write(taskDir: string, offsets: ReadonlyMap<string, number>): void {
    if (!existsSync(taskDir)) return;
    writeFileAtomic(join(taskDir, FILE), JSON.stringify(Object.fromEntries(offsets)));
  },
};
