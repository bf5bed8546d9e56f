import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIRECTORY, StreamsError, getLogger, isStreamsError, makeDirectory, writeFailure, writeFileAtomic, type Clock } from '../common/index.ts';
import {
  decodeBatch, readBatchHeader, setBaseOffset, setMaxTimestamp, stampLogAppendTime, validateProducedBatch, type BatchArena, type LogRecord, type StoredRecord,
} from '../record/index.ts';
import { LogSegment } from './log-segment.ts';
import { baseOffsetOfLogFile, segmentPath } from './segment-files.ts';
import type { TopicConfig } from './topic-config.ts';
import { encodeMarkerBatch, type MarkerSpec } from './txn/control-record.ts';
import { batchesBefore, endOffsetOf, visibleRecords } from './txn/isolated-read.ts';
import { rebuildProducerState, saveProducerState } from './txn/producer-state-file.ts';
import { ProducerStateTable, type AbortedRange } from './txn/producer-state.ts';
import type { IsolationLevel, ProducerIdentity } from './txn/types.ts';

const log = getLogger('log');
/** Where a partition keeps the offset records were deleted before (DeleteRecords), when it has one. */
const LOG_START_FILE = 'log-start-offset';

/**
 * One partition: an ordered list of segments, the last one active. Appends get consecutive
 * offsets; `logStartOffset` moves forward when retention deletes old segments or records are
 * deleted up to an offset (`deleteRecordsBefore`); the high watermark equals the log end offset
 * (there are no replicas to wait for).
 */
export class PartitionLog {
  private segments: LogSegment[] = [];
  /** Records before this offset were deleted on request, though their segment may remain. */
  private deletedBefore = 0;
  private unflushedMessages = 0;
  private lastFlushMs: number;
  private waiters = new Set<() => void>();
  /** A damaged batch was found while reading: the next open must verify every segment. */
  damageFound = false;
  /** Producer epochs, sequences and transactions of this partition. */
  readonly producers: ProducerStateTable;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string,
    private config: TopicConfig,
    private readonly clock: Clock,
  ) {
    this.lastFlushMs = clock.nowMs();
    this.producers = new ProducerStateTable(`${topic}-${partition}`);
  }

  /** Opens (or creates) the partition directory, recovering its segments; `clean` after an orderly close. */
  static open(topic: string, partition: number, dir: string, config: TopicConfig, clock: Clock, clean: boolean): PartitionLog {
    makeDirectory(dir, DATA_DIRECTORY);
    const partitionLog = new PartitionLog(topic, partition, dir, config, clock);
    const bases = readdirSync(dir)
      .map(baseOffsetOfLogFile)
      .filter((b): b is number => b !== undefined)
      .sort((a, b) => a - b);
    for (let i = 0; i < bases.length; i++) {
      const active = i === bases.length - 1;
      const { segment, recovery } = LogSegment.open(dir, bases[i]!, config['index.interval.bytes'], active || !clean, clock.nowMs());
      partitionLog.segments.push(segment);
      if (recovery.badIndex !== undefined) log.warn(`${topic}-${partition}: the index of segment ${bases[i]} is wrong (${recovery.badIndex}); rebuilt it from the log`);
      else if (recovery.indexRebuilt) log.info(`${topic}-${partition}: rebuilt the indexes of segment ${bases[i]}`);
      if (recovery.cut === undefined) continue;
      // Nothing after a damaged batch can be trusted to follow it: as Kafka does, the log ends
      // there, and the later segments go too (keeping them would leave a silent hole of offsets).
      const later = bases.slice(i + 1);
      log.warn(
        `${topic}-${partition}: the batch at byte ${recovery.cut.position} of segment ${segmentPath(dir, bases[i]!, '.log')} is damaged (${recovery.cut.reason}); ` +
          `cut the log there: ${recovery.truncatedBytes} bytes of that segment${later.length > 0 ? ` and ${later.length} later segment(s) (${later.join(', ')})` : ''} dropped, ` +
          `the records from offset ${recovery.cut.firstLostOffset} on are gone and the log now ends at offset ${segment.nextOffset}`,
      );
      for (const base of later) {
        for (const suffix of ['.log', '.index', '.timeindex'] as const) rmSync(segmentPath(dir, base, suffix), { force: true });
      }
      break;
    }
    if (partitionLog.segments.length === 0) {
      partitionLog.segments.push(LogSegment.create(dir, 0, config['index.interval.bytes'], clock.nowMs()));
    }
    const startFile = join(dir, LOG_START_FILE);
    if (existsSync(startFile)) {
      const stored = Number(readFileSync(startFile, 'utf8'));
      if (Number.isSafeInteger(stored) && stored >= 0) partitionLog.deletedBefore = Math.min(stored, partitionLog.logEndOffset);
      else log.warn(`${topic}-${partition}: ignoring unreadable ${startFile}; records deleted before some offset may be served again`);
    }
    rebuildProducerState(partitionLog.producers, dir, partitionLog);
    return partitionLog;
  }

  get logStartOffset(): number {
    return Math.max(this.segments[0]!.baseOffset, this.deletedBefore);
  }

  /**
   * Deletes the records before `offset` (Kafka's DeleteRecords): the log start offset moves there
   * and is persisted; segments wholly below it are removed, the one holding it stays. Never moves
   * backwards. Returns the new log start offset.
   * @throws StreamsError OFFSET_OUT_OF_RANGE when `offset` is past the log end.
   */
  deleteRecordsBefore(offset: number): number {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.logEndOffset) {
      throw new StreamsError(
        'OFFSET_OUT_OF_RANGE',
        `${this.name}: cannot delete records before offset ${offset}; it must be between 0 and the log end offset ${this.logEndOffset}`,
        { location: { topic: this.topic, partition: this.partition, offset } },
      );
    }
    if (offset <= this.logStartOffset) return this.logStartOffset;
    this.deletedBefore = offset;
    writeFileAtomic(join(this.dir, LOG_START_FILE), String(offset));
    let whollyBelow = 0;
    while (whollyBelow < this.segments.length - 1 && this.segments[whollyBelow + 1]!.baseOffset <= offset) whollyBelow++;
    this.deleteOldestSegments(whollyBelow);
    this.producers.dropBefore(this.logStartOffset);
    return this.logStartOffset;
  }

  /** The offset the next record will get. */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  /**
   * The first offset of the oldest open transaction, or the log end when none is open: what
   * read_committed readers may read up to. Never below the log start.
   */
  get lastStableOffset(): number {
    const unstable = this.producers.firstUnstableOffset();
    return unstable === undefined ? this.logEndOffset : Math.max(this.logStartOffset, unstable);
  }

  get sizeInBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.size, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  updateConfig(config: TopicConfig): void {
    this.config = config;
  }

  /**
   * Encodes records as one batch (in `arena`) and checks its size, without writing: a produce call
   * prepares every partition's batch first so a refused one leaves the log untouched. The caller
   * has checked the records' timestamps (whole ms from -1), in its own pass over them.
   */
  prepare(records: readonly LogRecord[], arena: BatchArena, producer?: ProducerIdentity & { transactional: boolean }): Buffer {
    const batch = producer === undefined
      ? arena.encode(records, { baseOffset: 0 })
      : arena.encode(records, {
        baseOffset: 0, producerId: producer.producerId, producerEpoch: producer.producerEpoch,
        baseSequence: this.producers.nextSequence(producer.producerId, producer.producerEpoch), transactional: producer.transactional,
      });
    this.checkSize(batch.length);
    if (producer !== undefined) this.producers.checkAppend(readBatchHeader(batch, 0)!);
    return batch;
  }

  /** Appends a prepared batch at the log end; returns its first offset. */
  appendPrepared(batch: Buffer): number {
    const baseOffset = this.logEndOffset;
    setBaseOffset(batch, 0, baseOffset);
    this.write(batch, baseOffset);
    return baseOffset;
  }

  /**
   * Appends record batches already encoded by a client (a produce request's bytes): each batch is
   * validated whole (`validateProducedBatch`: size, magic, CRC, record count, offset deltas,
   * lengths, timestamps; no control batches) before any is written, then given offsets at the log
   * end. A producer's maxTimestamp that is not its records' largest is corrected, as Kafka does.
   * Returns the first offset assigned and, on a LogAppendTime topic, the time stamped (else -1).
   * A batch of a producer (producerId >= 0) must come alone and is checked against the producer's
   * state (`ProducerStateTable.checkAppend`): a retried batch is acknowledged with the offset it was
   * stored at the first time (`duplicate: true`) and not appended again.
   * With `inPlace` the batches are written from `bytes` itself, their offsets (and any corrected
   * timestamp and CRC) set there, instead of from a copy: for a caller that is done with the bytes.
   * @throws StreamsError CORRUPT_RECORD, INVALID_RECORD, INVALID_TIMESTAMP, RECORD_TOO_LARGE, INVALID_PRODUCER_EPOCH,
   *   OUT_OF_ORDER_SEQUENCE or INVALID_TXN_STATE; nothing is appended then.
   */
  appendBatches(bytes: Buffer, inPlace = false): { baseOffset: number; logAppendTimeMs: number; duplicate: boolean } {
    const batches: Array<{ position: number; size: number; maxTimestamp: number }> = [];
    for (let position = 0; position < bytes.length; ) {
      const header = readBatchHeader(bytes, position);
      if (header === null) throw new StreamsError('CORRUPT_RECORD', `${this.name}: ${bytes.length - position} trailing bytes do not form a record batch`);
      let maxTimestamp: number;
      try {
        maxTimestamp = validateProducedBatch(bytes, position, header).maxTimestamp;
      } catch (error) {
        if (error instanceof StreamsError) throw new StreamsError(error.code, `${this.name}: batch ${batches.length} of the request: ${error.message}; nothing was appended`, { cause: error });
        throw error;
      }
      this.checkSize(header.sizeInBytes);
      if (header.producerId >= 0) {
        if (position > 0 || header.sizeInBytes < bytes.length) {
          throw new StreamsError('INVALID_RECORD', `${this.name}: a request with a producer id holds ${position > 0 ? 'more than one batch' : 'trailing bytes after its batch'}; an idempotent or transactional producer sends one batch per partition; nothing was appended`);
        }
        const original = this.producers.checkAppend(header);
        if (original !== undefined) return { baseOffset: original, logAppendTimeMs: -1, duplicate: true };
      }
      batches.push({ position, size: header.sizeInBytes, maxTimestamp: header.maxTimestamp === maxTimestamp ? Number.NaN : maxTimestamp });
      position += header.sizeInBytes;
    }
    const first = this.logEndOffset;
    let appendTimeMs = -1;
    for (const { position, size, maxTimestamp } of batches) {
      const batch = inPlace ? bytes.subarray(position, position + size) : Buffer.from(bytes.subarray(position, position + size));
      if (!Number.isNaN(maxTimestamp)) setMaxTimestamp(batch, 0, maxTimestamp);
      setBaseOffset(batch, 0, this.logEndOffset);
      appendTimeMs = this.write(batch, this.logEndOffset);
    }
    return { baseOffset: first, logAppendTimeMs: this.config['message.timestamp.type'] === 'LogAppendTime' ? appendTimeMs : -1, duplicate: false };
  }

  /** Appends a transaction marker (a control batch) at the log end; returns its offset. */
  appendMarker(spec: MarkerSpec): number {
    const offset = this.logEndOffset;
    const batch = encodeMarkerBatch(spec);
    setBaseOffset(batch, 0, offset);
    this.write(batch, offset, spec.commit ? 'commit' : 'abort');
    return offset;
  }

  /** Throws RECORD_TOO_LARGE when a batch of `size` bytes is over the topic's max.message.bytes. */
  checkSize(size: number): void {
    if (size > this.config['max.message.bytes']) {
      throw new StreamsError(
        'RECORD_TOO_LARGE',
        `${this.name}: a batch of ${size} bytes exceeds max.message.bytes (${this.config['max.message.bytes']}); nothing was appended. Send fewer or smaller records, or raise the topic's max.message.bytes`,
      );
    }
  }

  /** Writes a batch at `baseOffset`; returns the append time (the clock reading it was written at). */
  private write(batch: Buffer, baseOffset: number, marker?: 'commit' | 'abort'): number {
    const now = this.clock.nowMs();
    if (this.config['message.timestamp.type'] === 'LogAppendTime') stampLogAppendTime(batch, 0, now);
    const header = readBatchHeader(batch, 0)!;
    try {
      const active = this.active;
      if (active.size > 0 && (active.size + batch.length > this.config['segment.bytes'] || now - active.createdAtMs >= this.config['segment.ms'])) {
        this.roll(baseOffset);
      }
      this.active.append(batch, header);
    } catch (error) {
      throw this.writeFailure(error);
    }
    if (header.producerId >= 0) this.producers.observe(header, marker);
    this.unflushedMessages += header.recordCount;
    if (this.unflushedMessages >= this.config['flush.messages'] || now - this.lastFlushMs >= this.config['flush.ms']) this.flush();
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    return now;
  }

  /** A failed write as STORAGE_ERROR naming this partition (and the file, where the segment named it). */
  private writeFailure(error: unknown): unknown {
    if (isStreamsError(error) && error.code !== 'STORAGE_ERROR') return error;
    const storage = isStreamsError(error) ? error : writeFailure(`could not write to ${this.dir}`, error);
    return new StreamsError('STORAGE_ERROR', `${this.name}: ${storage.message}`, { cause: storage.cause, location: { topic: this.topic, partition: this.partition } });
  }

  private roll(baseOffset: number): void {
    // A closed segment is never written again: make it durable once, when it is closed.
    this.active.flush();
    saveProducerState(this.producers, this.dir, baseOffset);
    this.segments.push(LogSegment.create(this.dir, baseOffset, this.config['index.interval.bytes'], this.clock.nowMs()));
  }

  /** The segment appends go to. */
  get activeSegment(): LogSegment {
    return this.active;
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  private get name(): string {
    return `${this.topic}-${this.partition}`;
  }

  /**
   * Stored batch bytes from the batch holding `offset`, about `maxBytes` long (at least one
   * batch). Empty at the log end.
   * @throws StreamsError OFFSET_OUT_OF_RANGE with the valid range.
   */
  readBatches(offset: number, maxBytes: number): Buffer {
    this.checkOffset(offset);
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      let bytes: Buffer;
      try {
        bytes = this.segments[i]!.read(offset, maxBytes);
      } catch (error) {
        if (!isStreamsError(error, 'CORRUPT_RECORD')) throw error;
        // Readers retry: say it once, not on every fetch.
        if (!this.damageFound) log.error(`${this.name}: ${error.message}`);
        this.damageFound = true;
        throw new StreamsError('CORRUPT_RECORD', `${this.name}: ${error.message}`, {
          cause: error, location: { topic: this.topic, partition: this.partition, offset: error.location?.offset ?? offset },
        });
      }
      if (bytes.length > 0) return bytes;
    }
    return Buffer.alloc(0);
  }

  /** Decoded records from `offset`, up to about `maxBytes` of batches (markers left out). */
  read(offset: number, maxBytes: number): StoredRecord[] {
    return this.readRecords(offset, maxBytes, 'read_uncommitted').records;
  }

  /**
   * The records a reader at `isolation` sees from `offset`, about `maxBytes` of batches, and the
   * offset to read from next. Markers are never returned; read_committed stops at the last stable
   * offset and leaves out aborted transactions. Batches holding nothing visible are read past, so
   * records are empty only at the end of what may be read.
   */
  readRecords(offset: number, maxBytes: number, isolation: IsolationLevel): { records: StoredRecord[]; nextOffset: number } {
    this.checkOffset(offset);
    const committed = isolation === 'read_committed';
    const upTo = committed ? this.lastStableOffset : this.logEndOffset;
    let next = offset;
    for (;;) {
      const bytes = next < upTo ? this.readBatches(next, maxBytes) : Buffer.alloc(0);
      if (bytes.length === 0) return { records: [], nextOffset: next };
      try {
        const aborted = committed ? this.producers.abortedBetween(next, Math.min(upTo, endOffsetOf(bytes, next))) : undefined;
        const read = visibleRecords(bytes, next, { upTo, aborted });
        if (read.records.length > 0 || read.nextOffset === next) return read;
        next = read.nextOffset;
      } catch (error) {
        throw new StreamsError('CORRUPT_RECORD', `${this.name}: ${(error as Error).message} (reading from offset ${offset} in ${this.dir})`, { cause: error, location: { topic: this.topic, partition: this.partition, offset } });
      }
    }
  }

  /**
   * Stored batches from `offset` as `readBatches` returns them, at read_committed only those before
   * the last stable offset, with the aborted transactions whose data they hold (as Kafka's Fetch).
   */
  readBatchesIsolated(offset: number, maxBytes: number, isolation: IsolationLevel): { bytes: Buffer; abortedTransactions: AbortedRange[]; lastStableOffset: number } {
    this.checkOffset(offset);
    const lastStableOffset = this.lastStableOffset;
    if (isolation === 'read_uncommitted') return { bytes: this.readBatches(offset, maxBytes), abortedTransactions: [], lastStableOffset };
    const bytes = offset < lastStableOffset ? batchesBefore(this.readBatches(offset, maxBytes), lastStableOffset) : Buffer.alloc(0);
    if (bytes.length === 0) return { bytes, abortedTransactions: [], lastStableOffset };
    return { bytes, abortedTransactions: this.producers.abortedBetween(offset, endOffsetOf(bytes, offset)), lastStableOffset };
  }

  /** The first offset whose record timestamp is >= `timestamp`, or null when there is none. */
  offsetForTimestamp(timestamp: number): number | null {
    for (const segment of this.segments) {
      const found = segment.offsetForTimestamp(timestamp, (batch) => decodeBatch(batch).records.find((r) => r.timestamp >= timestamp)?.offset);
      if (found !== undefined) return found;
    }
    return null;
  }

  /** Resolves when a record is appended, or after `timeoutMs`, or when `signal` aborts. */
  waitForData(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** The closed segments, oldest first, as retention and compaction see them. */
  closedSegments(): readonly LogSegment[] {
    return this.segments.slice(0, -1);
  }

  /** Deletes the oldest `count` segments (never the active one); the log start moves to the next segment. */
  deleteOldestSegments(count: number): void {
    const n = Math.min(count, this.segments.length - 1);
    for (const segment of this.segments.splice(0, n)) segment.delete();
    this.producers.dropBefore(this.logStartOffset);
  }

  /** Replaces closed segments with compacted ones (same base offsets), as compaction produces them. */
  replaceSegments(replaced: readonly LogSegment[], replacement: readonly LogSegment[]): void {
    const first = this.segments.indexOf(replaced[0]!);
    this.segments.splice(first, replaced.length, ...replacement);
  }

  flush(): void {
    for (const segment of this.segments) segment.flush();
    this.unflushedMessages = 0;
    this.lastFlushMs = this.clock.nowMs();
  }

  close(): void {
    this.flush();
    saveProducerState(this.producers, this.dir, this.logEndOffset);
    for (const segment of this.segments) segment.close();
    for (const wake of this.waiters) wake();
  }

  /** Closes and removes the partition's directory. */
  delete(): void {
    for (const segment of this.segments) segment.close();
    for (const wake of this.waiters) wake();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private checkOffset(offset: number): void {
    if (!Number.isSafeInteger(offset) || offset < this.logStartOffset || offset > this.logEndOffset) {
      throw new StreamsError(
        'OFFSET_OUT_OF_RANGE',
        `${this.name}: offset ${offset} is outside the valid range [${this.logStartOffset}, ${this.logEndOffset}]; read from the earliest or latest offset instead`,
        { location: { topic: this.topic, partition: this.partition, offset } },
      );
    }
  }

  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

