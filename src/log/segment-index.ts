import { existsSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { readInt64, writeInt64 } from '../common/index.ts';
import { CachedFile } from './file-handles.ts';

/**
 * A segment's two sparse indexes, kept in memory and appended to their files:
 * `.index` entries are (offset - baseOffset: int32, file position: int32), 8 bytes;
 * `.timeindex` entries are (largest timestamp so far: int64, offset - baseOffset: int32), 12 bytes.
 * Both grow monotonically; an entry is added every `index.interval.bytes` of log.
 *
 * New entries reach the files in groups of up to `PENDING_ENTRIES` (and on every flush or close)
 * rather than one write per entry: the files are derived data, checked and rebuilt from the log on
 * open, so entries lost with a crashed process only make the loaded index sparser at its tail —
 * like Kafka's memory-mapped indexes, which reach the disk when flushed.
 */
export class SegmentIndex {
  /** Flat pairs: [relativeOffset, position, relativeOffset, position, ...]. */
  private offsets: number[] = [];
  /** Flat pairs: [timestamp, relativeOffset, ...]. */
  private times: number[] = [];
  private readonly offsetFile: CachedFile;
  private readonly timeFile: CachedFile;
  /** Entries added since the last write to the files, encoded as they will be stored. */
  private readonly pendingOffsets = Buffer.allocUnsafe(PENDING_ENTRIES * 8);
  private readonly pendingTimes = Buffer.allocUnsafe(PENDING_ENTRIES * 12);
  private pendingOffsetBytes = 0;
  private pendingTimeBytes = 0;

  private constructor(
    private readonly offsetPath: string,
    private readonly timePath: string,
  ) {
    this.offsetFile = new CachedFile(offsetPath, 'a');
    this.timeFile = new CachedFile(timePath, 'a');
  }

  /**
   * Loads both index files when they are present and consistent with a log of `logSize` bytes,
   * or returns undefined: the caller then starts a `fresh` index and rebuilds it from the log.
   */
  static load(offsetPath: string, timePath: string, logSize: number): SegmentIndex | undefined {
    if (!existsSync(offsetPath) || !existsSync(timePath)) return undefined;
    const offsets = readFileSync(offsetPath);
    const times = readFileSync(timePath);
    if (!consistent(offsets, times, logSize)) return undefined;
    const index = new SegmentIndex(offsetPath, timePath);
    for (let p = 0; p < offsets.length; p += 8) index.offsets.push(offsets.readInt32BE(p), offsets.readInt32BE(p + 4));
    for (let p = 0; p < times.length; p += 12) index.times.push(readInt64(times, p), times.readInt32BE(p + 8));
    return index;
  }

  /** An empty index, replacing whatever the files held. */
  static fresh(offsetPath: string, timePath: string): SegmentIndex {
    writeFileSync(offsetPath, Buffer.alloc(0));
    writeFileSync(timePath, Buffer.alloc(0));
    return new SegmentIndex(offsetPath, timePath);
  }

  get isEmpty(): boolean {
    return this.offsets.length === 0;
  }

  /** File position of the last entry (-1 when empty). */
  get lastPosition(): number {
    return this.offsets.length === 0 ? -1 : this.offsets[this.offsets.length - 1]!;
  }

  /**
   * Why the offset entries do not match the segment's batches (each must name the first offset of
   * a batch starting exactly at its position), or undefined when they all do.
   */
  mismatchWith(baseOffset: number, batches: ReadonlyArray<{ position: number; header: { baseOffset: number } }>): string | undefined {
    let b = 0;
    for (let i = 0; i < this.offsets.length; i += 2) {
      const relativeOffset = this.offsets[i]!;
      const position = this.offsets[i + 1]!;
      while (b < batches.length && batches[b]!.position < position) b++;
      const batch = batches[b];
      if (batch === undefined || batch.position !== position) return `its entry for offset ${baseOffset + relativeOffset} points at byte ${position}, which is not the start of a batch`;
      if (batch.header.baseOffset !== baseOffset + relativeOffset) {
        return `its entry for offset ${baseOffset + relativeOffset} points at byte ${position}, where the batch of offset ${batch.header.baseOffset} starts`;
      }
    }
    return undefined;
  }

  /** Records an entry for a batch starting at `position` whose first record is `relativeOffset`. */
  add(relativeOffset: number, position: number, maxTimestampSoFar: number): void {
    if (this.pendingOffsetBytes === this.pendingOffsets.length) this.writePending();
    this.pendingOffsets.writeInt32BE(relativeOffset, this.pendingOffsetBytes);
    this.pendingOffsets.writeInt32BE(position, this.pendingOffsetBytes + 4);
    this.pendingOffsetBytes += 8;
    this.offsets.push(relativeOffset, position);
    if (this.times.length === 0 || maxTimestampSoFar > this.times[this.times.length - 2]!) {
      writeInt64(this.pendingTimes, this.pendingTimeBytes, maxTimestampSoFar);
      this.pendingTimes.writeInt32BE(relativeOffset, this.pendingTimeBytes + 8);
      this.pendingTimeBytes += 12;
      this.times.push(maxTimestampSoFar, relativeOffset);
    }
  }

  /** Writes the pending entries to the files (the time index never holds more entries than the offset index). */
  private writePending(): void {
    if (this.pendingOffsetBytes > 0) writeFully(this.offsetFile.writeFd, this.pendingOffsets, this.pendingOffsetBytes);
    if (this.pendingTimeBytes > 0) writeFully(this.timeFile.writeFd, this.pendingTimes, this.pendingTimeBytes);
    this.pendingOffsetBytes = 0;
    this.pendingTimeBytes = 0;
  }

  /** Position of the last indexed batch starting at or before `relativeOffset` (0 when none). */
  positionAtOrBefore(relativeOffset: number): number {
    let lo = 0;
    let hi = this.offsets.length / 2 - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid * 2]! <= relativeOffset) {
        found = this.offsets[mid * 2 + 1]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Relative offset of the last time entry whose timestamp is below `timestamp` (0 when none). */
  relativeOffsetBeforeTimestamp(timestamp: number): number {
    let found = 0;
    for (let i = 0; i < this.times.length; i += 2) {
      if (this.times[i]! < timestamp) found = this.times[i + 1]!;
      else break;
    }
    return found;
  }

  flush(): void {
    this.writePending();
    this.offsetFile.sync();
    this.timeFile.sync();
  }

  close(): void {
    try {
      this.writePending();
    } finally {
      // Entries that could not be written only leave the index on disk sparser at its tail (still consistent).
      this.offsetFile.close();
      this.timeFile.close();
    }
  }
}

/** How many index entries are gathered before they are written to the files. */
const PENDING_ENTRIES = 64;

function writeFully(fd: number, bytes: Buffer, length: number): void {
  for (let written = 0; written < length; ) written += writeSync(fd, bytes, written, length - written);
}

function consistent(offsets: Buffer, times: Buffer, logSize: number): boolean {
  if (offsets.length % 8 !== 0 || times.length % 12 !== 0) return false;
  let lastOffset = -1;
  let lastPosition = -1;
  for (let p = 0; p < offsets.length; p += 8) {
    const relative = offsets.readInt32BE(p);
    const position = offsets.readInt32BE(p + 4);
    if (relative <= lastOffset || position <= lastPosition || position >= logSize) return false;
    lastOffset = relative;
    lastPosition = position;
  }
  let lastTime = -Infinity;
  for (let p = 0; p < times.length; p += 12) {
    const time = readInt64(times, p);
    const relative = times.readInt32BE(p + 8);
    if (time <= lastTime || relative > lastOffset) return false;
    lastTime = time;
  }
  return true;
}
