import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StreamsError } from './errors.ts';

/** Which directory a path belongs to, to name it in errors: `data directory` with `"log.dirs" / --data-dir`. */
export interface DirectoryRole {
  /** e.g. `state directory` */
  readonly name: string;
  /** How a user chooses another one, e.g. `"state.dir" (--state-dir)`. */
  readonly setting: string;
}

export const DATA_DIRECTORY: DirectoryRole = { name: 'data directory', setting: '"log.dirs" (--data-dir)' };
export const STATE_DIRECTORY: DirectoryRole = { name: 'state directory', setting: '"state.dir" (--state-dir)' };

/**
 * Turns a failed file-system call on `path` (a data or state directory, or a file in one) into
 * one line that names the path, what went wrong and what to do, keeping the original as `cause`.
 *
 * @example
 * try { appendSync(segmentPath, batch) } catch (e) { throw storageError(e, segmentPath, DATA_DIRECTORY) }
 */
export function storageError(error: unknown, path: string, role?: DirectoryRole): StreamsError {
  if (error instanceof StreamsError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const other = role === undefined ? '' : `another ${role.name} with ${role.setting}`;
  const or = (advice: string) => (role === undefined ? advice : `${advice} or choose ${other}`);
  const message = ((): string => {
    switch (code) {
      case 'EACCES':
      case 'EPERM':
        return `cannot write ${path}: permission denied; ${or('make it writable for this user')}`;
      case 'EROFS':
        return `cannot write ${path}: the file system is read-only; ${role === undefined ? 'remount it writable' : `choose ${other}`}`;
      case 'ENOSPC':
        return `cannot write ${path}: no space left on the device; ${or('free some space')}`;
      case 'EDQUOT':
        return `cannot write ${path}: the disk quota is used up; ${or('free some space')}`;
      case 'ENOTDIR':
      case 'EEXIST':
        return `cannot use ${path}: a file is in the way where a directory must be; ${or('move it')}`;
      case 'ENOENT':
        return `cannot create ${path}: its file system does not allow it (a special file system such as /proc?)${role === undefined ? '' : `; choose ${other}`}`;
      default:
        return `cannot use ${path}: ${(error as Error).message}`;
    }
  })();
  return new StreamsError('STORAGE_ERROR', message, { cause: error });
}

/**
 * Creates a directory and its missing parents, one `mkdir` per missing path component. Node's own
 * recursive `mkdir` loops forever where a file system answers ENOENT for a parent that exists (as
 * /proc does), blocking the event loop so not even SIGINT ends the process; this walk is bounded
 * by the depth of the path. On failure the directories it made are removed again.
 *
 * @throws StreamsError STORAGE_ERROR naming the directory and what to do.
 */
export function makeDirectory(path: string, role: DirectoryRole): void {
  const missing: string[] = [];
  try {
    for (let dir = resolve(path); !isDirectory(dir); dir = dirname(dir)) {
      missing.push(dir);
      if (dirname(dir) === dir) break;
    }
  } catch (error) {
    throw storageError(error, path, role);
  }
  const made: string[] = [];
  try {
    for (const dir of missing.reverse()) {
      try {
        mkdirSync(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST' && isDirectory(dir)) continue;
        throw error;
      }
      made.push(dir);
    }
  } catch (error) {
    for (const dir of made.reverse()) rmdirSync(dir);
    throw storageError(error, path, role);
  }
}

/** True for a directory, false when nothing is there; throws ENOTDIR when something else is. */
function isDirectory(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return false;
  if (stat.isDirectory()) return true;
  throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR', path });
}

/**
 * A failed write as a STORAGE_ERROR where the failing call is not about one path alone: `what`
 * names the file and, where there is one, the topic and partition or the store; the system's code
 * (ENOSPC, EIO, EROFS...) and message follow, with what to do on a full disk.
 */
export function writeFailure(what: string, cause: unknown): StreamsError {
  if (cause instanceof StreamsError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const hint = (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC' ? '; the disk is full: free space and retry' : '';
  return new StreamsError('STORAGE_ERROR', `${what}: ${reason}${hint}`, { cause });
}
