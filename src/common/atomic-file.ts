import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StreamsError } from './errors.ts';

/**
 * Replaces a file so that after a crash it holds either the old or the new content, never a mix:
 * write a temp file in the same directory, fsync it, rename it over the target, fsync the directory.
 * When any step fails (a full disk: ENOSPC), the temp file is removed, the old content stays, and
 * the error is a STORAGE_ERROR naming the file and the cause.
 */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = openSync(temp, 'w');
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (cause) {
    rmSync(temp, { force: true });
    throw storageError(`could not write ${path}`, cause);
  }
  fsyncDirectory(dirname(path));
}

/** Makes a rename or a new file in `dir` durable. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A failed write to disk as a STORAGE_ERROR: `what` names the file (and the topic and partition,
 * where there is one); the system's code (ENOSPC, EIO, EROFS...) and message follow.
 */
export function storageError(what: string, cause: unknown): StreamsError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const hint = code === 'ENOSPC' ? '; the disk is full: free space and retry' : '';
  return new StreamsError('STORAGE_ERROR', `${what}: ${reason}${hint}`, { cause });
}
