import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBatch, encodeBatch, readBatchHeader, type StoredRecord } from '../record/index.ts';
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

/** What compacting a partition did. */
export interface CompactionResult {
  readonly segmentsCompacted: number;
  readonly recordsBefore: number;
  readonly recordsAfter: number;
}

/**
 * Compacts the closed segments of a partition whose records are all older than
 * `min.compaction.lag.ms`. The new segment files are written in `<partition>/.compacting/`,
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
): { replaced: LogSegment[]; replacement: LogSegment[]; result: CompactionResult } {
  const policy: CompactionPolicy = { nowMs, deleteRetentionMs: config['delete.retention.ms'], minCompactionLagMs: config['min.compaction.lag.ms'] };
  const eligible: LogSegment[] = [];
  for (const segment of closed) {
    if (segment.maxTimestamp > nowMs - policy.minCompactionLagMs) break;
    eligible.push(segment);
  }
  const decoded = new Map<LogSegment, StoredRecord[]>();
  const latest = new Map<string, number>();
  for (const segment of [...closed, active]) {
    const records = recordsOf(segment);
    if (eligible.includes(segment)) decoded.set(segment, records);
    latestOffsetByKey(records, latest);
  }
  const workDir = join(dir, '.compacting');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir);
  let recordsBefore = 0;
  let recordsAfter = 0;
  const replacement: LogSegment[] = [];
  for (const segment of eligible) {
    const records = decoded.get(segment)!;
    const kept = compactRecords(records, latest, policy);
    recordsBefore += records.length;
    recordsAfter += kept.length;
    const cleaned = LogSegment.create(workDir, segment.baseOffset, config['index.interval.bytes'], segment.createdAtMs);
    for (let start = 0; start < kept.length; start += BATCH_RECORDS) {
      const slice = kept.slice(start, start + BATCH_RECORDS);
      const base = slice[0]!.offset;
      const batch = encodeBatch(slice, { baseOffset: base, offsetDeltas: slice.map((r) => r.offset - base) });
      cleaned.append(batch, readBatchHeader(batch, 0)!);
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

const BATCH_RECORDS = 500;

function recordsOf(segment: LogSegment): StoredRecord[] {
  const bytes = segment.readAll();
  const records: StoredRecord[] = [];
  for (let position = 0; position < bytes.length; ) {
    const batch = decodeBatch(bytes, position);
    for (const record of batch.records) records.push(record);
    position += batch.header.sizeInBytes;
  }
  return records;
}
