import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StreamsError, getLogger } from '../common/index.ts';

const LOCK_FILE = '.lock';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/**
 * Keeps a data directory to one process: a `.lock` file created exclusively, holding the owner's
 * pid, host and start time. A lock left by a process that no longer runs on this host is taken over.
 */
export class DirLock {
  private constructor(private readonly path: string) {}

  /** @throws StreamsError DATA_DIR_LOCKED naming the process that holds the directory. */
  static acquire(dataDir: string): DirLock {
    const path = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
        writeSync(fd, JSON.stringify(owner));
        closeSync(fd);
        return new DirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(path);
      if (owner !== undefined && owner.host === hostname() && isAlive(owner.pid)) {
        const who = owner.pid === process.pid ? 'this process (close the other LogEngine first)' : `process ${owner.pid} (running since ${owner.since})`;
        throw new StreamsError(
          'DATA_DIR_LOCKED',
          `data directory ${dataDir} is in use by ${who}; stop it or choose another directory`,
        );
      }
      getLogger('log').warn(`taking over stale lock ${path} left by process ${owner?.pid ?? 'unknown'}, which is no longer running`);
      unlinkSync(path);
    }
    throw new StreamsError('DATA_DIR_LOCKED', `could not lock data directory ${dataDir}; another process keeps taking it`);
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
