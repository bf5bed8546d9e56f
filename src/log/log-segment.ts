import { closeSync, fsyncSync, ftruncateSync, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { DATA_DIRECTORY, StreamsError, storageError } from '../common/index.ts';
import { BatchLayout, checkBatch, lastOffsetOf, readBatchHeader, type BatchHeader } from '../record/index.ts';
import { SegmentIndex } from './segment-index.ts';
import { segmentPath } from './segment-files.ts';

/** What opening a segment found: how many torn or corrupt bytes were cut from its tail. */
export interface SegmentRecovery {
  readonly truncatedBytes: number;
  readonly indexRebuilt: boolean;
}

/**
 * One segment: a `.log` file of record batches exactly as encoded, plus its sparse indexes. Only
 * the last segment of a partition is appended to; the others are immutable until retention or
 * compaction removes or replaces them.
 */
export class LogSegment {
  private fd: number;
  private index!: SegmentIndex;
  /** Bytes in the `.log` file. */
  size = 0;
  /** Offset after the last record (baseOffset while empty). */
  nextOffset: number;
  /** Largest record timestamp, -1 while empty. */
  maxTimestamp = -1;
  private bytesSinceIndexEntry = 0;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly indexIntervalBytes: number,
    readonly createdAtMs: number,
  ) {
    this.nextOffset = baseOffset;
    this.fd = openSync(segmentPath(dir, baseOffset, '.log'), 'a+');
    this.size = fstatSync(this.fd).size;
  }

  /** Starts a new empty segment. */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number, nowMs: number): LogSegment {
    const segment = new LogSegment(dir, baseOffset, indexIntervalBytes, nowMs);
    segment.index = SegmentIndex.fresh(segmentPath(dir, baseOffset, '.index'), segmentPath(dir, baseOffset, '.timeindex'));
    return segment;
  }

  /**
   * Opens an existing segment. With `verify`, every batch's length and CRC is checked and a torn or
   * corrupt tail is cut off (nothing after it can be trusted); indexes are rebuilt when missing,
   * inconsistent, or after a cut.
   */
  static open(dir: string, baseOffset: number, indexIntervalBytes: number, verify: boolean, nowMs: number): { segment: LogSegment; recovery: SegmentRecovery } {
    const segment = new LogSegment(dir, baseOffset, indexIntervalBytes, nowMs);
    const scan = segment.scan(verify);
    let truncatedBytes = 0;
    if (scan.validBytes < segment.size) {
      truncatedBytes = segment.size - scan.validBytes;
      ftruncateSync(segment.fd, scan.validBytes);
      fsyncSync(segment.fd);
      segment.size = scan.validBytes;
    }
    const offsetPath = segmentPath(dir, baseOffset, '.index');
    const timePath = segmentPath(dir, baseOffset, '.timeindex');
    let index = SegmentIndex.load(offsetPath, timePath, truncatedBytes > 0 ? -1 : segment.size);
    if (index !== undefined && index.isEmpty && scan.batches.length > 0) {
      index.close();
      index = undefined;
    }
    const rebuilt = index === undefined && scan.batches.length > 0;
    segment.index = index ?? SegmentIndex.fresh(offsetPath, timePath);
    for (const batch of scan.batches) {
      if (rebuilt) segment.maybeIndex(batch.header, batch.position);
      segment.maxTimestamp = Math.max(segment.maxTimestamp, batch.header.maxTimestamp);
      segment.nextOffset = lastOffsetOf(batch.header) + 1;
    }
    if (!rebuilt && scan.batches.length > 0) segment.bytesSinceIndexEntry = segment.size - segment.index.lastPosition;
    return { segment, recovery: { truncatedBytes, indexRebuilt: rebuilt } };
  }

  /** Appends one encoded batch whose base offset is already set. Synchronous: it reaches the OS before returning. */
  append(batch: Buffer, header: BatchHeader): void {
    const position = this.size;
    try {
      let written = 0;
      while (written < batch.length) written += writeSync(this.fd, batch, written, batch.length - written, position + written);
    } catch (error) {
      // A part of the batch may have reached the file (a full disk): cut it off, so the segment
      // ends with the last whole batch; where even that fails, reopening cuts it by its CRC.
      try {
        ftruncateSync(this.fd, position);
      } catch {
        // not a regular file, or the disk refuses even this: the next open cuts the torn tail
      }
      throw storageError(error, segmentPath(this.dir, this.baseOffset, '.log'), DATA_DIRECTORY);
    }
    this.size += batch.length;
    this.maxTimestamp = Math.max(this.maxTimestamp, header.maxTimestamp);
    this.nextOffset = lastOffsetOf(header) + 1;
    this.maybeIndex(header, position);
  }

  private maybeIndex(header: BatchHeader, position: number): void {
    if (position === 0 || this.bytesSinceIndexEntry >= this.indexIntervalBytes) {
      this.index.add(header.baseOffset - this.baseOffset, position, Math.max(this.maxTimestamp, header.maxTimestamp));
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += header.sizeInBytes;
  }

  /**
   * Whole batches starting with the one holding `offset`, about `maxBytes` long; at least one
   * batch even when it is larger (as Kafka does, so a large record never blocks a reader). Empty
   * when `offset` is past this segment.
   */
  read(offset: number, maxBytes: number): Buffer {
    if (offset >= this.nextOffset) return Buffer.alloc(0);
    let position = this.index.positionAtOrBefore(offset - this.baseOffset);
    // Walk batch headers from the indexed position to the batch that contains `offset`.
    const headerBytes = Buffer.allocUnsafe(BatchLayout.HEADER_SIZE);
    while (position < this.size) {
      const header = this.headerAt(position, headerBytes);
      if (lastOffsetOf(header) >= offset) break;
      position += header.sizeInBytes;
    }
    if (position >= this.size) return Buffer.alloc(0);
    const first = this.headerAt(position, headerBytes);
    const length = Math.min(this.size - position, Math.max(maxBytes, first.sizeInBytes));
    const bytes = this.readAt(position, length);
    return wholeBatches(bytes, first.sizeInBytes);
  }

  /** The first offset at or after `timestamp` in this segment, or undefined. */
  offsetForTimestamp(timestamp: number, decodeFirstMatching: (batch: Buffer) => number | undefined): number | undefined {
    if (this.maxTimestamp < timestamp) return undefined;
    let position = this.index.positionAtOrBefore(this.index.relativeOffsetBeforeTimestamp(timestamp));
    const headerBytes = Buffer.allocUnsafe(BatchLayout.HEADER_SIZE);
    while (position < this.size) {
      const header = this.headerAt(position, headerBytes);
      if (header.maxTimestamp >= timestamp) {
        const found = decodeFirstMatching(this.readAt(position, header.sizeInBytes));
        if (found !== undefined) return found;
      }
      position += header.sizeInBytes;
    }
    return undefined;
  }

  /** All batches of the segment as one buffer (for compaction of closed segments). */
  readAll(): Buffer {
    return this.readAt(0, this.size);
  }

  flush(): void {
    try {
      fsyncSync(this.fd);
    } catch (error) {
      // EINVAL: a file that cannot be synchronised (not a regular file), so there is nothing to sync
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw storageError(error, segmentPath(this.dir, this.baseOffset, '.log'), DATA_DIRECTORY);
    }
    this.index.flush();
  }

  close(): void {
    closeSync(this.fd);
    this.index.close();
  }

  /** Closes and removes the segment's files. */
  delete(): void {
    this.close();
    for (const suffix of ['.log', '.index', '.timeindex'] as const) rmSync(segmentPath(this.dir, this.baseOffset, suffix), { force: true });
  }

  private headerAt(position: number, into: Buffer): BatchHeader {
    readSync(this.fd, into, 0, BatchLayout.HEADER_SIZE, position);
    const header = readBatchHeader(into, 0);
    if (header === null || header.sizeInBytes < BatchLayout.HEADER_SIZE) {
      throw new StreamsError('CORRUPT_RECORD', `corrupt batch header in ${segmentPath(this.dir, this.baseOffset, '.log')} at byte ${position}; the segment needs recovery (restart the engine)`);
    }
    return header;
  }

  private readAt(position: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, bytes, read, length - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return read === length ? bytes : bytes.subarray(0, read);
  }

  /** Walks the batches; with `verify`, stops at the first one whose length or CRC is wrong. */
  private scan(verify: boolean): { validBytes: number; batches: Array<{ position: number; header: BatchHeader }> } {
    const batches: Array<{ position: number; header: BatchHeader }> = [];
    const headerBytes = Buffer.allocUnsafe(BatchLayout.HEADER_SIZE);
    let position = 0;
    while (position + BatchLayout.HEADER_SIZE <= this.size) {
      readSync(this.fd, headerBytes, 0, BatchLayout.HEADER_SIZE, position);
      const header = readBatchHeader(headerBytes, 0)!;
      if (header.sizeInBytes < BatchLayout.HEADER_SIZE || position + header.sizeInBytes > this.size) break;
      if (header.recordCount <= 0 || header.lastOffsetDelta < 0) break;
      if (batches.length > 0 && header.baseOffset <= lastOffsetOf(batches[batches.length - 1]!.header)) break;
      if (verify) {
        const bytes = this.readAt(position, header.sizeInBytes);
        try {
          checkBatch(bytes, 0, header);
        } catch {
          break;
        }
      }
      batches.push({ position, header });
      position += header.sizeInBytes;
    }
    return { validBytes: position, batches };
  }
}

/** Cuts a buffer read from a segment at the end of its last complete batch. */
function wholeBatches(bytes: Buffer, firstSize: number): Buffer {
  let end = firstSize;
  while (end + BatchLayout.HEADER_SIZE <= bytes.length) {
    const size = bytes.readInt32BE(end + BatchLayout.BATCH_LENGTH) + BatchLayout.LOG_OVERHEAD;
    if (end + size > bytes.length) break;
    end += size;
  }
  return end === bytes.length ? bytes : bytes.subarray(0, end);
}
