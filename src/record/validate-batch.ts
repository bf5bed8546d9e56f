import { StreamsError } from '../common/index.ts';
import { Attributes, BatchLayout } from './batch-layout.ts';
import type { BatchHeader } from './batch-header.ts';
import { checkBatch } from './decode-batch.ts';
import { readVarlong, type VarCursor } from './varint.ts';

/** What a batch's records say about it, once they have been walked. */
export interface ValidatedBatch {
  /** The largest record timestamp: what `maxTimestamp` must hold. */
  readonly maxTimestamp: number;
}

const INT32_MAX = 0x7fffffff;
/** A varint (int32 field) takes at most 5 bytes; a varlong at most 10. */
const VARINT_BYTES = 5;

/**
 * Checks a record batch a client sent, completely, before a log acknowledges it — a batch whose CRC
 * is right can still lie in its other fields, and a lie stored would cost later readers (and
 * recovery) the data after it. On top of `checkBatch` (size, magic, CRC, compression):
 *
 * - it is not a control batch (transaction markers are the log's to write) and does not claim
 *   log-append time (the log stamps that);
 * - `recordCount` >= 1 and exactly that many records fill the batch, with no bytes left over;
 * - record `i` has offset delta `i`, and `lastOffsetDelta` is `recordCount - 1` (offsets contiguous);
 * - every varint fits in 5 bytes and int32, every length (record, key, value, header key and value)
 *   lies inside its record, header keys are not null, and each record's fields end where its length says;
 * - every timestamp (`baseTimestamp`, `baseTimestamp + timestampDelta`) is a whole number of ms from
 *   -1 (no timestamp) up to 2^53.
 *
 * Walks the records without allocating. Returns the largest record timestamp, which the caller
 * stores as `maxTimestamp` when the producer's differs (as Kafka rewrites it).
 *
 * @throws StreamsError CORRUPT_RECORD (bytes that do not parse), INVALID_RECORD (fields that parse
 *   but contradict each other, a control batch) or INVALID_TIMESTAMP, naming the record and the field.
 * @example validateProducedBatch(requestBytes, 0, readBatchHeader(requestBytes, 0)!);
 */
export function validateProducedBatch(buffer: Buffer, pos: number, header: BatchHeader): ValidatedBatch {
  checkBatch(buffer, pos, header);
  if ((header.attributes & Attributes.CONTROL) !== 0) throw invalid('it is a control batch; only the log writes transaction markers');
  if ((header.attributes & Attributes.TIMESTAMP_TYPE_LOG_APPEND) !== 0) throw invalid('it claims log-append time; only the log stamps that');
  if (header.recordCount < 1) throw invalid(`its record count is ${header.recordCount}; a batch holds at least one record`);
  if (header.lastOffsetDelta !== header.recordCount - 1) {
    throw invalid(`lastOffsetDelta is ${header.lastOffsetDelta} for ${header.recordCount} record(s); it must be ${header.recordCount - 1}`);
  }
  checkTimestamp(header.baseTimestamp, 'baseTimestamp');
  const end = pos + header.sizeInBytes;
  const cursor: VarCursor = { value: 0, pos: pos + BatchLayout.HEADER_SIZE };
  let maxTimestamp = -Infinity;
  for (let i = 0; i < header.recordCount; i++) {
    if (cursor.pos >= end) throw corrupt(`it claims ${header.recordCount} records but holds ${i}`);
    const length = varint(buffer, cursor, end, i, 'length');
    const recordEnd = cursor.pos + length;
    if (length < 1 || recordEnd > end) throw corrupt(`record ${i} claims ${length} bytes; ${end - cursor.pos} remain in the batch`);
    cursor.pos++; // record attributes: unused
    const timestampDelta = varlong(buffer, cursor, recordEnd, i, 'timestamp delta');
    const timestamp = header.baseTimestamp + timestampDelta;
    checkTimestamp(timestamp, `record ${i}'s timestamp`);
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    const offsetDelta = varint(buffer, cursor, recordEnd, i, 'offset delta');
    if (offsetDelta !== i) throw invalid(`record ${i} has offset delta ${offsetDelta}; offsets in a produced batch are 0, 1, 2, …`);
    skipBytes(buffer, cursor, recordEnd, i, 'key', true);
    skipBytes(buffer, cursor, recordEnd, i, 'value', true);
    const headerCount = varint(buffer, cursor, recordEnd, i, 'header count');
    if (headerCount < 0) throw corrupt(`record ${i} has header count ${headerCount}`);
    for (let h = 0; h < headerCount; h++) {
      skipBytes(buffer, cursor, recordEnd, i, 'key', false, h);
      skipBytes(buffer, cursor, recordEnd, i, 'value', true, h);
    }
    if (cursor.pos !== recordEnd) throw corrupt(`record ${i}'s fields end at byte ${cursor.pos - pos} but its length says ${recordEnd - pos}`);
  }
  if (cursor.pos !== end) throw corrupt(`${end - cursor.pos} bytes follow its last record`);
  return { maxTimestamp };
}

function checkTimestamp(timestamp: number, what: string): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < -1) {
    throw new StreamsError('INVALID_TIMESTAMP', `record batch is invalid: ${what} is ${timestamp}; timestamps are whole ms from -1 (none) to 2^53`);
  }
}

// Field names are constants and messages are built only on failure: the walk allocates nothing per record.
function varint(buffer: Buffer, cursor: VarCursor, end: number, record: number, field: string, header = -1): number {
  const start = cursor.pos;
  if (!readVarlong(buffer, cursor, end) || cursor.pos - start > VARINT_BYTES) throw corrupt(`record ${record}'s ${fieldName(field, header)} is not a valid varint`);
  if (cursor.value > INT32_MAX || cursor.value < -INT32_MAX - 1) throw corrupt(`record ${record}'s ${fieldName(field, header)} ${cursor.value} is out of int32 range`);
  return cursor.value;
}

/** `key length`, `value length`, or `header 2 key length` for a header's field. */
function fieldName(field: string, header: number): string {
  return header < 0 ? field : `header ${header} ${field}`;
}

function varlong(buffer: Buffer, cursor: VarCursor, end: number, record: number, field: string): number {
  if (!readVarlong(buffer, cursor, end)) throw corrupt(`record ${record}'s ${field} is not a valid varlong`);
  return cursor.value;
}

/** Skips a length-prefixed field of record `record` (of its header `header`, when >= 0). */
function skipBytes(buffer: Buffer, cursor: VarCursor, end: number, record: number, field: 'key' | 'value', nullable: boolean, header = -1): void {
  const length = varint(buffer, cursor, end, record, field === 'key' ? 'key length' : 'value length', header);
  if (length === -1 && nullable) return;
  if (length < 0 || cursor.pos + length > end) throw corrupt(`record ${record}'s ${fieldName(field, header)} length ${length} runs past the record`);
  cursor.pos += length;
}

function corrupt(reason: string): StreamsError {
  return new StreamsError('CORRUPT_RECORD', `record batch is corrupt: ${reason}`);
}

function invalid(reason: string): StreamsError {
  return new StreamsError('INVALID_RECORD', `record batch is invalid: ${reason}`);
}
