import { StreamsError } from '../common/index.ts';
import { Attributes, BatchLayout, COMPRESSION_NAMES, CURRENT_MAGIC } from './batch-layout.ts';
import { readBatchHeader, verifyBatchCrc, type BatchHeader } from './batch-header.ts';
import type { RecordHeader, StoredRecord } from './log-record.ts';
import { readVarlong, type VarCursor } from './varint.ts';

/** A decoded batch: its header and its records (key/value Buffers are views into the batch). */
export interface DecodedBatch {
  readonly header: BatchHeader;
  readonly records: StoredRecord[];
}

/**
 * Decodes the batch at `pos` after checking its size, magic, compression and CRC (`verifyCrc`
 * false skips the CRC, for bytes a caller has just checked). Records with
 * an offset below `fromOffset` are skipped (a fetch may start inside a batch). Keys, values and
 * header values are zero-copy `subarray`s of `buffer`.
 *
 * @throws StreamsError CORRUPT_RECORD naming the batch's base offset and what is wrong.
 */
export function decodeBatch(buffer: Buffer, pos = 0, fromOffset = -Infinity, verifyCrc = true): DecodedBatch {
  const header = readBatchHeader(buffer, pos);
  if (header === null) throw corrupt(pos, -1, `only ${buffer.length - pos} bytes remain, fewer than a batch header`);
  checkBatch(buffer, pos, header, verifyCrc);
  const records: StoredRecord[] = [];
  const end = pos + header.sizeInBytes;
  const cursor: VarCursor = { value: 0, pos: pos + BatchLayout.HEADER_SIZE };
  const logAppendTime = (header.attributes & Attributes.TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  for (let i = 0; i < header.recordCount; i++) {
    const length = varlong(buffer, cursor, end, header, 'record length');
    const recordEnd = cursor.pos + length;
    if (length < 0 || recordEnd > end) throw corrupt(pos, header.baseOffset, `record ${i} claims ${length} bytes past the batch end`);
    cursor.pos++; // record attributes: unused
    const timestampDelta = varlong(buffer, cursor, recordEnd, header, 'timestamp delta');
    const offsetDelta = varlong(buffer, cursor, recordEnd, header, 'offset delta');
    const key = bytesField(buffer, cursor, recordEnd, header, 'key');
    const value = bytesField(buffer, cursor, recordEnd, header, 'value');
    const headerCount = varlong(buffer, cursor, recordEnd, header, 'header count');
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const keyBytes = bytesField(buffer, cursor, recordEnd, header, 'header key');
      if (keyBytes === null) throw corrupt(pos, header.baseOffset, `record ${i} has a header with a null key`);
      headers.push({ key: keyBytes.toString('utf8'), value: bytesField(buffer, cursor, recordEnd, header, 'header value') });
    }
    if (cursor.pos !== recordEnd) throw corrupt(pos, header.baseOffset, `record ${i} length does not match its fields`);
    const offset = header.baseOffset + offsetDelta;
    if (offset < fromOffset) continue;
    records.push({
      offset,
      timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
  return { header, records };
}

/** Checks everything about a batch short of decoding its records: size, magic, compression, CRC. */
export function checkBatch(buffer: Buffer, pos: number, header: BatchHeader, verifyCrc = true): void {
  if (header.sizeInBytes < BatchLayout.HEADER_SIZE || pos + header.sizeInBytes > buffer.length) {
    throw corrupt(pos, header.baseOffset, `batch length ${header.sizeInBytes} does not fit the ${buffer.length - pos} bytes available`);
  }
  if (header.magic !== CURRENT_MAGIC) {
    throw corrupt(pos, header.baseOffset, `magic byte ${header.magic}; only record batch v2 (magic 2) is supported`);
  }
  if (verifyCrc && !verifyBatchCrc(buffer, pos, header)) throw corrupt(pos, header.baseOffset, 'CRC-32C mismatch');
  const compression = header.attributes & Attributes.COMPRESSION_MASK;
  if (compression !== 0) {
    throw corrupt(
      pos,
      header.baseOffset,
      `compressed with ${COMPRESSION_NAMES[compression] ?? `codec ${compression}`}, which kstreams does not support; produce uncompressed batches (compression.type=none)`,
    );
  }
}

function varlong(buffer: Buffer, cursor: VarCursor, end: number, header: BatchHeader, field: string): number {
  if (!readVarlong(buffer, cursor, end)) throw corrupt(-1, header.baseOffset, `truncated ${field}`);
  return cursor.value;
}

function bytesField(buffer: Buffer, cursor: VarCursor, end: number, header: BatchHeader, field: string): Buffer | null {
  const length = varlong(buffer, cursor, end, header, `${field} length`);
  if (length === -1) return null;
  if (length < -1 || cursor.pos + length > end) throw corrupt(-1, header.baseOffset, `${field} length ${length} runs past the record`);
  const bytes = buffer.subarray(cursor.pos, cursor.pos + length);
  cursor.pos += length;
  return bytes;
}

function corrupt(pos: number, baseOffset: number, reason: string): StreamsError {
  const where = baseOffset >= 0 ? `record batch with base offset ${baseOffset}` : `record batch at byte ${pos}`;
  return new StreamsError('CORRUPT_RECORD', `${where} is corrupt: ${reason}`);
}
