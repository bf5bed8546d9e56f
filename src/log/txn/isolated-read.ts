/**
 * Reading stored batches at an isolation level. Markers (control batches) are never data. At
 * read_uncommitted every other record is returned; at read_committed the read stops at the last
 * stable offset and leaves out the batches of aborted transactions.
 *
 * The last stable offset is always a batch boundary (the first offset of an open transaction's
 * first batch, or the log end), so no batch straddles it.
 *
 * @example
 * const { records, nextOffset } = visibleRecords(bytes, 40, { upTo: lso, aborted: table.abortedBetween(40, lso) });
 */
import { decodeBatch, isControl, isTransactional, lastOffsetOf, readBatchHeader, type StoredRecord } from '../../record/index.ts';
import { isInAborted, type AbortedRange } from './producer-state.ts';

/** Where a read stops and, at read_committed, which producers' transactional batches it skips. */
export interface ReadLimits {
  /** Batches starting at or after this offset are not read. */
  readonly upTo: number;
  /** Present at read_committed: the aborted transactions overlapping the read, whose batches are left out. */
  readonly aborted?: readonly AbortedRange[] | undefined;
}

/**
 * The records of `bytes` (whole batches) from `fromOffset` that a reader may see, and the offset
 * after the last batch looked at — where the next read continues, past markers and aborted data.
 */
export function visibleRecords(bytes: Buffer, fromOffset: number, limits: ReadLimits): { records: StoredRecord[]; nextOffset: number } {
  const records: StoredRecord[] = [];
  let nextOffset = fromOffset;
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)!;
    if (header.baseOffset >= limits.upTo) break;
    const hidden = isControl(header) || (limits.aborted !== undefined && isTransactional(header) && isInAborted(limits.aborted, header.producerId, header.baseOffset));
    // The caller's read has checked every batch's CRC already.
    if (!hidden) for (const record of decodeBatch(bytes, position, fromOffset, false).records) records.push(record);
    nextOffset = Math.max(nextOffset, lastOffsetOf(header) + 1);
    position += header.sizeInBytes;
  }
  return { records, nextOffset };
}

/** The offset after the last batch of `bytes` (whole batches), or `fallback` when there are none. */
export function endOffsetOf(bytes: Buffer, fallback: number): number {
  let end = fallback;
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)!;
    end = lastOffsetOf(header) + 1;
    position += header.sizeInBytes;
  }
  return end;
}

/** The leading whole batches of `bytes` that start before `upTo` (the last stable offset). */
export function batchesBefore(bytes: Buffer, upTo: number): Buffer {
  let position = 0;
  while (position < bytes.length) {
    const header = readBatchHeader(bytes, position)!;
    if (header.baseOffset >= upTo) break;
    position += header.sizeInBytes;
  }
  return position === bytes.length ? bytes : bytes.subarray(0, position);
}
