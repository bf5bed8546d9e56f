import { fsyncSync, ftruncateSync, fstatSync, readSync, rmSync, writeSync } from 'node:fs';
import { DATA_DIRECTORY, StreamsError, storageError } from '../common/index.ts';
import { BatchLayout, checkBatch, lastOffsetOf, readBatchHeader, type BatchHeader } from '../record/index.ts';
import { CachedFile } from './file-handles.ts';
import { SegmentIndex } from './segment-index.ts';
import { segmentPath } from './segment-files.ts';

/** What opening a segment found: how many torn or corrupt bytes were cut from its tail, and why. */
export interface SegmentRecovery {
  readonly truncatedBytes: number;
  readonly indexRebuilt: boolean;
  /** Where the cut was made and what was wrong there (absent when nothing was cut). */
  readonly cut?: { readonly position: number; readonly firstLostOffset: number; readonly reason: string };
  /** Why a loaded index was not trusted (absent when it was, or was missing). */
  readonly badIndex?: string;
}

/**
 * One segment: a `.log` file of record batches exactly as encoded, plus its sparse indexes. Only
 * the last segment of a partition is appended to; the others are immutable until retention or
 * compaction removes or replaces them. File descriptors come from a bounded cache (file-handles.ts)
 * when a read or write needs one, so any number of segments can be open.
 */
export class LogSegment {
  private readonly file: CachedFile;
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
    this.file = new CachedFile(segmentPath(dir, baseOffset, '.log'), 'a+');
    this.size = fstatSync(this.fd).size;
  }

  /** The `.log` file's descriptor, for one synchronous read. */
  private get fd(): number {
    return this.file.fd;
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
    const lastGood = scan.batches[scan.batches.length - 1];
    const cut = scan.validBytes < segment.size
      ? { position: scan.validBytes, firstLostOffset: lastGood === undefined ? baseOffset : lastOffsetOf(lastGood.header) + 1, reason: scan.stopReason }
      : undefined;
    if (scan.validBytes < segment.size) {
      truncatedBytes = segment.size - scan.validBytes;
      ftruncateSync(segment.fd, scan.validBytes);
      fsyncSync(segment.fd);
      segment.size = scan.validBytes;
    }
    const offsetPath = segmentPath(dir, baseOffset, '.index');
    const timePath = segmentPath(dir, baseOffset, '.timeindex');
    let index = SegmentIndex.load(offsetPath, timePath, truncatedBytes > 0 ? -1 : segment.size);
    let badIndex: string | undefined;
    if (index !== undefined && scan.batches.length > 0) {
      // Every entry must name the first offset of a batch that starts exactly at its position:
      // an entry pointing into a batch would make reads skip records.
      badIndex = index.isEmpty ? 'it is empty while the log is not' : index.mismatchWith(baseOffset, scan.batches);
      if (badIndex !== undefined) {
        index.close();
        index = undefined;
      }
    }
    const rebuilt = index === undefined && scan.batches.length > 0;
    segment.index = index ?? SegmentIndex.fresh(offsetPath, timePath);
    for (const batch of scan.batches) {
      if (rebuilt) segment.maybeIndex(batch.header, batch.position);
      segment.maxTimestamp = Math.max(segment.maxTimestamp, batch.header.maxTimestamp);
      segment.nextOffset = lastOffsetOf(batch.header) + 1;
    }
    if (!rebuilt && scan.batches.length > 0) segment.bytesSinceIndexEntry = segment.size - segment.index.lastPosition;
    return {
      segment,
      recovery: { truncatedBytes, indexRebuilt: rebuilt, ...(cut === undefined ? {} : { cut }), ...(badIndex === undefined ? {} : { badIndex }) },
    };
  }

  /** Appends one encoded batch whose base offset is already set. Synchronous: it reaches the OS before returning. */
  append(batch: Buffer, header: BatchHeader): void {
    const position = this.size;
    try {
      let written = 0;
      while (written < batch.length) written += writeSync(this.file.writeFd, batch, written, batch.length - written, position + written);
    } catch (error) {
      // A part of the batch may have reached the file (a full disk): cut it off, so the segment
      // ends with the last whole batch; where even that fails, reopening cuts it by its CRC.
      try {
        ftruncateSync(this.file.writeFd, position);
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
   * when `offset` is past this segment. Every batch returned has passed its CRC check: the
   * batches before a corrupt one are returned, and a corrupt first batch throws.
   * @throws StreamsError CORRUPT_RECORD naming the file, the byte position and the batch's offsets.
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
    return this.checkedBatches(bytes, position, first.sizeInBytes);
  }

  /**
   * Cuts a buffer read from the segment at `position` to its whole batches, up to (not including)
   * the first one that fails its checks; throws when that is the first one.
   */
  private checkedBatches(bytes: Buffer, position: number, firstSize: number): Buffer {
    let end = 0;
    let size = firstSize;
    while (end + size <= bytes.length) {
      const header = readBatchHeader(bytes, end)!;
      try {
        checkBatch(bytes, end, header);
      } catch (error) {
        if (end > 0) break;
        const path = segmentPath(this.dir, this.baseOffset, '.log');
        throw new StreamsError(
          'CORRUPT_RECORD',
          `the batch at byte ${position} of ${path} (offsets ${header.baseOffset}..${lastOffsetOf(header)}) is damaged: ${(error as Error).message}. ` +
            'It is not served; the next open of the log runs a full recovery, which cuts the log before it',
          { cause: error, location: { offset: header.baseOffset } },
        );
      }
      end += size;
      if (end + BatchLayout.HEADER_SIZE > bytes.length) break;
      size = bytes.readInt32BE(end + BatchLayout.BATCH_LENGTH) + BatchLayout.LOG_OVERHEAD;
      if (size < BatchLayout.HEADER_SIZE) break;
    }
    return end === bytes.length ? bytes : bytes.subarray(0, end);
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
      this.file.sync();
    } catch (error) {
      // EINVAL: a file that cannot be synchronised (not a regular file), so there is nothing to sync
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw storageError(error, segmentPath(this.dir, this.baseOffset, '.log'), DATA_DIRECTORY);
    }
    this.index.flush();
  }

  close(): void {
    this.file.close();
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

  /**
   * Walks the batch headers; with `verify`, also checks every batch's magic and CRC. Stops at the
   * first batch that fails and says why.
   */
  private scan(verify: boolean): { validBytes: number; batches: Array<{ position: number; header: BatchHeader }>; stopReason: string } {
    const batches: Array<{ position: number; header: BatchHeader }> = [];
    const headerBytes = Buffer.allocUnsafe(BatchLayout.HEADER_SIZE);
    let position = 0;
    let stopReason = '';
    while (position < this.size) {
      if (position + BatchLayout.HEADER_SIZE > this.size) {
        stopReason = `${this.size - position} bytes left, fewer than a batch header (a torn write)`;
        break;
      }
      readSync(this.fd, headerBytes, 0, BatchLayout.HEADER_SIZE, position);
      const header = readBatchHeader(headerBytes, 0)!;
      const previous = batches[batches.length - 1];
      if (header.sizeInBytes < BatchLayout.HEADER_SIZE || position + header.sizeInBytes > this.size) {
        stopReason = `batch length ${header.sizeInBytes} does not fit the ${this.size - position} bytes left`;
        break;
      }
      if (header.recordCount <= 0 || header.lastOffsetDelta < 0 || header.baseOffset < this.baseOffset) {
        stopReason = `impossible header (base offset ${header.baseOffset}, ${header.recordCount} records)`;
        break;
      }
      if (previous !== undefined && header.baseOffset <= lastOffsetOf(previous.header)) {
        stopReason = `base offset ${header.baseOffset} does not follow the previous batch's last offset ${lastOffsetOf(previous.header)}`;
        break;
      }
      if (verify) {
        const bytes = this.readAt(position, header.sizeInBytes);
        try {
          checkBatch(bytes, 0, header);
        } catch (error) {
          stopReason = (error as Error).message;
          break;
        }
      }
      batches.push({ position, header });
      position += header.sizeInBytes;
    }
    return { validBytes: position, batches, stopReason };
  }
}
