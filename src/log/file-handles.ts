import { closeSync, fsyncSync, openSync } from 'node:fs';

/** Open segment and index files when no limit is configured. */
export const DEFAULT_MAX_OPEN_FILES = 1024;

/**
 * The file descriptors of segment and index files, opened on demand and kept in a bounded
 * least-recently-used cache: a partition may have any number of segments and an engine any number
 * of partitions without running out of descriptors (EMFILE). The cache is shared by every engine in
 * the process, because the descriptor limit is the process's.
 *
 * Every use is synchronous (`readSync`, `writeSync`, `fsyncSync` right after `fd`), so a descriptor
 * is never closed by an eviction while it is in use.
 */
class FileHandleCache {
  /** Open files in least-recently-used order (a Map keeps insertion order). */
  private readonly open = new Map<CachedFile, number>();

  constructor(private capacity: number) {}

  setCapacity(capacity: number): void {
    this.capacity = capacity;
    this.evictDownTo(capacity);
  }

  get openCount(): number {
    return this.open.size;
  }

  fd(file: CachedFile): number {
    const cached = this.open.get(file);
    if (cached !== undefined) {
      this.open.delete(file);
      this.open.set(file, cached);
      return cached;
    }
    this.evictDownTo(this.capacity - 1);
    let fd: number;
    try {
      fd = openSync(file.path, file.flags);
    } catch (error) {
      // Other parts of the process hold descriptors too: make room and try once more.
      if ((error as NodeJS.ErrnoException).code !== 'EMFILE' && (error as NodeJS.ErrnoException).code !== 'ENFILE') throw error;
      this.evictDownTo(Math.floor(this.open.size / 2));
      fd = openSync(file.path, file.flags);
    }
    this.open.set(file, fd);
    return fd;
  }

  release(file: CachedFile): void {
    const fd = this.open.get(file);
    if (fd === undefined) return;
    this.open.delete(file);
    closeSync(fd);
  }

  private evictDownTo(size: number): void {
    for (const [file, fd] of this.open) {
      if (this.open.size <= Math.max(0, size)) return;
      this.open.delete(file);
      closeSync(fd);
    }
  }
}

const handles = new FileHandleCache(DEFAULT_MAX_OPEN_FILES);

/**
 * Sets how many segment and index files stay open at once in this process (at least 3: one
 * segment's files). `LogEngine.open({ maxOpenFiles })` calls it.
 */
export function setMaxOpenFiles(count: number): void {
  handles.setCapacity(Math.max(3, count));
}

/** How many segment and index files are open now (for tests and diagnostics). */
export function openFileCount(): number {
  return handles.openCount;
}

/**
 * One file whose descriptor comes from the shared cache when needed. Writes go through `writeFd`,
 * which marks the file dirty, so `sync` fsyncs only files written since the last one — a file
 * written, evicted and reopened is still fsynced, as fsync covers every write to the file.
 */
export class CachedFile {
  private dirty = false;

  constructor(
    readonly path: string,
    readonly flags: 'a' | 'a+',
  ) {}

  /** A descriptor to read with, valid until the next call into the cache. */
  get fd(): number {
    return handles.fd(this);
  }

  /** A descriptor to write with, valid until the next call into the cache. */
  get writeFd(): number {
    this.dirty = true;
    return handles.fd(this);
  }

  /** fsyncs the file when it was written since the last sync. */
  sync(): void {
    if (!this.dirty) return;
    fsyncSync(handles.fd(this));
    this.dirty = false;
  }

  /** Closes the descriptor if it is open; the next use opens it again. */
  close(): void {
    handles.release(this);
  }
}
