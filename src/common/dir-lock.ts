import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { storageError, type DirectoryRole } from './directories.ts';
import { StreamsError, type StreamsErrorCode } from './errors.ts';
import { getLogger } from './logger.ts';

const LOCK_FILE = '.lock';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** What a lock guards, for its error: the code, the directory's role, and what to do. */
export interface LockSubject {
  readonly code: Extract<StreamsErrorCode, 'DATA_DIR_LOCKED' | 'STATE_DIR_LOCKED'>;
  readonly role: DirectoryRole;
  /** e.g. `stop it or choose another directory` */
  readonly advice: string;
}

/**
 * Keeps a directory to one process: a `.lock` file created exclusively, holding the owner's pid,
 * host and start time. A lock left by a process that no longer runs on this host is taken over.
 * The log engine locks its data directory; KafkaStreams its application's state directory.
 */
export class DirLock {
  private constructor(private readonly path: string) {}

  /**
   * @throws StreamsError `subject.code` naming the process that holds the directory, or
   *   STORAGE_ERROR when the lock file cannot be written.
   */
  static acquire(dir: string, subject: LockSubject): DirLock {
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        try {
          const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
          writeSync(fd, JSON.stringify(owner));
        } catch (error) {
          unlinkSync(path);
          throw error;
        } finally {
          closeSync(fd);
        }
        return new DirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storageError(error, dir, subject.role);
      }
      const owner = readOwner(path);
      if (owner !== undefined && owner.host === hostname() && isProcessAlive(owner.pid)) {
        const who = owner.pid === process.pid ? 'this process (close the other instance first)' : `process ${owner.pid} (running since ${owner.since})`;
        throw new StreamsError(subject.code, `${subject.role.name} ${dir} is in use by ${who}; ${subject.advice}`);
      }
      getLogger('storage').warn(`taking over stale lock ${path} left by process ${owner?.pid ?? 'unknown'}, which is no longer running`);
      unlinkSync(path);
    }
    throw new StreamsError(subject.code, `could not lock ${subject.role.name} ${dir}; another process keeps taking it`);
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

/** True when a process with this id runs on this machine (one we may not signal counts too). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
