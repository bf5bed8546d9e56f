import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBatch, encodeBatch, isControl, isTransactional, readBatchHeader, type BatchHeader, type StoredRecord } from '../record/index.ts';
import { fsyncDirectory } from '../common/index.ts';
import { LogSegment } from './log-segment.ts';
import { segmentPath } from './segment-files.ts';
import type { TopicConfig } from './topic-config.ts';

/** The clock and the topic settings compaction applies. */
export interface CompactionPolicy {
  readonly nowMs: number;
  readonly deleteRetentionMs: number;
  readonly minCompactionLagMs: number;
}

/** The offset of the latest record of every key (null keys have none: compaction drops them). */
export function latestOffsetByKey(records: Iterable<StoredRecord>, into = new Map<string, number>()): Map<string, number> {
  for (const record of records) if (record.key !== null) into.set(record.key.toString('latin1'), record.offset);
  return into;
}

/**
 * The records of a closed segment that compaction keeps: the latest record of each key, offsets
 * unchanged. A tombstone (null value) is kept until it is older than `delete.retention.ms` — by its
 * record timestamp — so readers catching up still see the delete. Records with a null key are dropped.
 */
export function compactRecords(records: readonly StoredRecord[], latest: ReadonlyMap<string, number>, policy: CompactionPolicy): StoredRecord[] {
  return records.filter((record) => {
    if (record.key === null) return false;
    if (latest.get(record.key.toString('latin1')) !== record.offset) return false;
    return record.value !== null || record.timestamp >= policy.nowMs - policy.deleteRetentionMs;
  });
}

/** What compaction needs to know of a partition's transactions. */
export interface TransactionView {
  /** Nothing at or after it is compacted, nor shadows an earlier record: its transactions may still abort. */
  readonly lastStableOffset: number;
  /** True for a transactional batch of an aborted transaction. */
  isAborted(producerId: number, offset: number): boolean;
}

/** What compacting a partition did. */
export interface CompactionResult {
  readonly segmentsCompacted: number;
  readonly recordsBefore: number;
  readonly recordsAfter: number;
}

/**
 * Compacts the closed segments of a partition whose records are all older than
 * `min.compaction.lag.ms` and that end before the last stable offset. Batches stay batches, with
 * their producer id, epoch and sequences (so producer state rebuilt from the log stays right):
 * - data of aborted transactions is removed;
 * - a committed transaction's batches keep their latest records per key, rewritten as
 *   non-transactional — they no longer need a marker to be read;
 * - markers are kept for `delete.retention.ms` after they were written (a reader part-way through
 *   a transaction still meets its marker), then removed;
 * - records of open transactions (at or after the last stable offset) neither are compacted nor
 *   hide older records of their keys.
 * The new segment files are written in `<partition>/.compacting/`,
 * fsynced, then swapped in segment by segment: the old indexes are removed first, then the new
 * `.log` is renamed over the old one, then the new indexes. A crash at any point leaves each
 * segment either old or new, and a missing index is rebuilt on open.
 */
export function compactSegments(
  dir: string,
  closed: readonly LogSegment[],
  active: LogSegment,
  config: TopicConfig,
  nowMs: number,
  txn: TransactionView,
): { replaced: LogSegment[]; replacement: LogSegment[]; result: CompactionResult } {
  const policy: CompactionPolicy = { nowMs, deleteRetentionMs: config['delete.retention.ms'], minCompactionLagMs: config['min.compaction.lag.ms'] };
  const eligible: LogSegment[] = [];
  for (const segment of closed) {
    if (segment.maxTimestamp > nowMs - policy.minCompactionLagMs || segment.nextOffset > txn.lastStableOffset) break;
    eligible.push(segment);
  }
  const decoded = new Map<LogSegment, StoredBatch[]>();
  const latest = new Map<string, number>();
  for (const segment of [...closed, active]) {
    const batches = batchesOf(segment, txn);
    if (eligible.includes(segment)) decoded.set(segment, batches);
    for (const batch of batches) if (batch.kind === 'data') latestOffsetByKey(batch.records.filter((r) => r.offset < txn.lastStableOffset), latest);
  }
  const workDir = join(dir, '.compacting');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir);
  let recordsBefore = 0;
  let recordsAfter = 0;
  const replacement: LogSegment[] = [];
  for (const segment of eligible) {
    const cleaned = LogSegment.create(workDir, segment.baseOffset, config['index.interval.bytes'], segment.createdAtMs);
    for (const batch of decoded.get(segment)!) {
      if (batch.kind === 'marker') {
        if (batch.header.maxTimestamp >= nowMs - policy.deleteRetentionMs) cleaned.append(batch.bytes, batch.header);
        continue;
      }
      recordsBefore += batch.records.length;
      const kept = batch.kind === 'aborted' ? [] : compactRecords(batch.records, latest, policy);
      recordsAfter += kept.length;
      if (kept.length === 0) continue;
      if (kept.length === batch.records.length && !isTransactional(batch.header)) {
        cleaned.append(batch.bytes, batch.header);
        continue;
      }
      const rewritten = rewriteBatch(batch.header, kept);
      cleaned.append(rewritten, readBatchHeader(rewritten, 0)!);
    }
    cleaned.flush();
    cleaned.close();
  }
  fsyncDirectory(workDir);
  for (const segment of eligible) {
    segment.close();
    rmSync(segmentPath(dir, segment.baseOffset, '.index'), { force: true });
    rmSync(segmentPath(dir, segment.baseOffset, '.timeindex'), { force: true });
    fsyncDirectory(dir);
    renameSync(segmentPath(workDir, segment.baseOffset, '.log'), segmentPath(dir, segment.baseOffset, '.log'));
    renameSync(segmentPath(workDir, segment.baseOffset, '.index'), segmentPath(dir, segment.baseOffset, '.index'));
    renameSync(segmentPath(workDir, segment.baseOffset, '.timeindex'), segmentPath(dir, segment.baseOffset, '.timeindex'));
    fsyncDirectory(dir);
    replacement.push(LogSegment.open(dir, segment.baseOffset, config['index.interval.bytes'], false, segment.createdAtMs).segment);
  }
  rmSync(workDir, { recursive: true, force: true });
  return { replaced: eligible, replacement, result: { segmentsCompacted: eligible.length, recordsBefore, recordsAfter } };
}

/** A stored batch as compaction sees it: a marker, data of an aborted transaction, or other data. */
interface StoredBatch {
  readonly kind: 'marker' | 'aborted' | 'data';
  readonly header: BatchHeader;
  readonly bytes: Buffer;
  readonly records: readonly StoredRecord[];
}

function batchesOf(segment: LogSegment, txn: TransactionView): StoredBatch[] {
  const bytes = segment.readAll();
  const batches: StoredBatch[] = [];
  for (let position = 0; position < bytes.length; ) {
    const { header, records } = decodeBatch(bytes, position);
    const kind = isControl(header) ? 'marker' : isTransactional(header) && txn.isAborted(header.producerId, header.baseOffset) ? 'aborted' : 'data';
    batches.push({ kind, header, records, bytes: bytes.subarray(position, position + header.sizeInBytes) });
    position += header.sizeInBytes;
  }
  return batches;
}

/**
 * The kept records of a batch as a new batch: same producer id and epoch, no longer transactional
 * (its transaction is committed), and a base sequence moved with its base offset so that base
 * sequence + last offset delta still names its last record's sequence.
 */
function rewriteBatch(header: BatchHeader, kept: readonly StoredRecord[]): Buffer {
  const base = kept[0]!.offset;
  const baseSequence = header.baseSequence < 0 ? -1 : (header.baseSequence + (base - header.baseOffset)) % 0x80000000;
  return encodeBatch(kept, {
    baseOffset: base, offsetDeltas: kept.map((r) => r.offset - base),
    producerId: header.producerId, producerEpoch: header.producerEpoch, baseSequence,
  });
}
