import { crc32c } from './crc32c.ts';
import { writeInt64 } from './int64.ts';
import { Attributes, BatchLayout, CURRENT_MAGIC } from './batch-layout.ts';
import type { LogRecord } from './log-record.ts';
import { sizeOfVarlong, writeVarlong } from './varint.ts';

/** Producer fields and flags of a batch; defaults describe a plain, non-idempotent append. */
export interface BatchOptions {
  baseOffset: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  /**
   * Offset of each record minus `baseOffset`, ascending, when they are not 0, 1, 2, … — compaction
   * rewrites batches with gaps where records were removed, keeping every record's offset.
   */
  offsetDeltas?: readonly number[];
}

/**
 * Encodes records as one uncompressed Kafka record batch v2, in a single allocation. Record
 * timestamps and offsets are stored as deltas from the first record's timestamp and `baseOffset`.
 *
 * @example
 * const bytes = encodeBatch([{ key: null, value: Buffer.from('hi'), timestamp: Date.now(), headers: [] }], { baseOffset: 0 });
 */
export function encodeBatch(records: readonly LogRecord[], options: BatchOptions): Buffer {
  if (records.length === 0) throw new RangeError('a record batch needs at least one record');
  const baseTimestamp = records[0]!.timestamp;
  let maxTimestamp = baseTimestamp;
  let size: number = BatchLayout.HEADER_SIZE;
  const bodySizes = new Array<number>(records.length);
  const deltas = options.offsetDeltas;
  if (deltas !== undefined && deltas.length !== records.length) throw new RangeError('offsetDeltas needs one entry per record');
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.timestamp > maxTimestamp) maxTimestamp = record.timestamp;
    const body = recordBodySize(record, record.timestamp - baseTimestamp, deltas?.[i] ?? i);
    bodySizes[i] = body;
    size += sizeOfVarlong(body) + body;
  }

  const buffer = Buffer.allocUnsafe(size);
  writeInt64(buffer, BatchLayout.BASE_OFFSET, options.baseOffset);
  buffer.writeInt32BE(size - BatchLayout.LOG_OVERHEAD, BatchLayout.BATCH_LENGTH);
  buffer.writeInt32BE(options.partitionLeaderEpoch ?? 0, BatchLayout.PARTITION_LEADER_EPOCH);
  buffer.writeInt8(CURRENT_MAGIC, BatchLayout.MAGIC);
  let attributes = 0;
  if (options.transactional === true) attributes |= Attributes.TRANSACTIONAL;
  if (options.control === true) attributes |= Attributes.CONTROL;
  buffer.writeInt16BE(attributes, BatchLayout.ATTRIBUTES);
  buffer.writeInt32BE(deltas?.[records.length - 1] ?? records.length - 1, BatchLayout.LAST_OFFSET_DELTA);
  writeInt64(buffer, BatchLayout.BASE_TIMESTAMP, baseTimestamp);
  writeInt64(buffer, BatchLayout.MAX_TIMESTAMP, maxTimestamp);
  writeInt64(buffer, BatchLayout.PRODUCER_ID, options.producerId ?? -1);
  buffer.writeInt16BE(options.producerEpoch ?? -1, BatchLayout.PRODUCER_EPOCH);
  buffer.writeInt32BE(options.baseSequence ?? -1, BatchLayout.BASE_SEQUENCE);
  buffer.writeInt32BE(records.length, BatchLayout.RECORD_COUNT);

  let pos: number = BatchLayout.HEADER_SIZE;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    pos = writeVarlong(buffer, pos, bodySizes[i]!);
    buffer[pos++] = 0; // record attributes: unused
    pos = writeVarlong(buffer, pos, record.timestamp - baseTimestamp);
    pos = writeVarlong(buffer, pos, deltas?.[i] ?? i);
    pos = writeBytes(buffer, pos, record.key);
    pos = writeBytes(buffer, pos, record.value);
    pos = writeVarlong(buffer, pos, record.headers.length);
    for (const header of record.headers) {
      pos = writeVarlong(buffer, pos, Buffer.byteLength(header.key, 'utf8'));
      pos += buffer.write(header.key, pos, 'utf8');
      pos = writeBytes(buffer, pos, header.value);
    }
  }
  buffer.writeUInt32BE(crc32c(buffer, BatchLayout.ATTRIBUTES, size), BatchLayout.CRC);
  return buffer;
}

function recordBodySize(record: LogRecord, timestampDelta: number, offsetDelta: number): number {
  let size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarlong(offsetDelta);
  size += bytesFieldSize(record.key) + bytesFieldSize(record.value);
  size += sizeOfVarlong(record.headers.length);
  for (const header of record.headers) {
    const keyLength = Buffer.byteLength(header.key, 'utf8');
    size += sizeOfVarlong(keyLength) + keyLength + bytesFieldSize(header.value);
  }
  return size;
}

function bytesFieldSize(bytes: Buffer | null): number {
  return bytes === null ? 1 : sizeOfVarlong(bytes.length) + bytes.length;
}

function writeBytes(buffer: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarlong(buffer, pos, -1);
  const length = bytes.length;
  pos = writeVarlong(buffer, pos, length);
  // TypedArray#set, not Buffer#copy: the latter's argument handling costs more than the copy itself for short fields.
  buffer.set(bytes, pos);
  return pos + length;
}
