import { crc32c } from './crc32c.ts';
import { readInt64, writeInt64 } from '../common/index.ts';
import { Attributes, BatchLayout } from './batch-layout.ts';

/** The fixed header of a record batch, read without touching its records. */
export interface BatchHeader {
  readonly baseOffset: number;
  /** Bytes of the whole batch, header included (batchLength + 12). */
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

/**
 * Reads the header of the batch starting at `pos`, or returns null when fewer than a header's
 * bytes remain (a torn tail). Callers check `sizeInBytes` against what remains and the CRC.
 */
export function readBatchHeader(buffer: Buffer, pos = 0): BatchHeader | null {
  if (buffer.length - pos < BatchLayout.HEADER_SIZE) return null;
  return {
    baseOffset: readInt64(buffer, pos + BatchLayout.BASE_OFFSET),
    sizeInBytes: buffer.readInt32BE(pos + BatchLayout.BATCH_LENGTH) + BatchLayout.LOG_OVERHEAD,
    partitionLeaderEpoch: buffer.readInt32BE(pos + BatchLayout.PARTITION_LEADER_EPOCH),
    magic: buffer.readInt8(pos + BatchLayout.MAGIC),
    crc: buffer.readUInt32BE(pos + BatchLayout.CRC),
    attributes: buffer.readInt16BE(pos + BatchLayout.ATTRIBUTES),
    lastOffsetDelta: buffer.readInt32BE(pos + BatchLayout.LAST_OFFSET_DELTA),
    baseTimestamp: readInt64(buffer, pos + BatchLayout.BASE_TIMESTAMP),
    maxTimestamp: readInt64(buffer, pos + BatchLayout.MAX_TIMESTAMP),
    producerId: readInt64(buffer, pos + BatchLayout.PRODUCER_ID),
    producerEpoch: buffer.readInt16BE(pos + BatchLayout.PRODUCER_EPOCH),
    baseSequence: buffer.readInt32BE(pos + BatchLayout.BASE_SEQUENCE),
    recordCount: buffer.readInt32BE(pos + BatchLayout.RECORD_COUNT),
  };
}

/** The offset of the batch's last record. */
export function lastOffsetOf(header: BatchHeader): number {
  return header.baseOffset + header.lastOffsetDelta;
}

/** True when the stored CRC-32C matches the batch bytes (attributes to end). */
export function verifyBatchCrc(buffer: Buffer, pos: number, header: BatchHeader): boolean {
  return crc32c(buffer, pos + BatchLayout.ATTRIBUTES, pos + header.sizeInBytes) === header.crc;
}

/** Rewrites the batch's base offset in place; the CRC stays valid because it does not cover it. */
export function setBaseOffset(buffer: Buffer, pos: number, baseOffset: number): void {
  writeInt64(buffer, pos + BatchLayout.BASE_OFFSET, baseOffset);
}

export function isTransactional(header: BatchHeader): boolean {
  return (header.attributes & Attributes.TRANSACTIONAL) !== 0;
}

export function isControl(header: BatchHeader): boolean {
  return (header.attributes & Attributes.CONTROL) !== 0;
}

/** Rewrites the batch's maxTimestamp (a producer's that is not its records' largest) and the CRC covering it. */
export function setMaxTimestamp(buffer: Buffer, pos: number, maxTimestamp: number): void {
  writeInt64(buffer, pos + BatchLayout.MAX_TIMESTAMP, maxTimestamp);
  const end = pos + buffer.readInt32BE(pos + BatchLayout.BATCH_LENGTH) + BatchLayout.LOG_OVERHEAD;
  buffer.writeUInt32BE(crc32c(buffer, pos + BatchLayout.ATTRIBUTES, end), pos + BatchLayout.CRC);
}

/**
 * Stamps a batch with the log's append time (a topic with message.timestamp.type=LogAppendTime):
 * sets the timestamp-type attribute and maxTimestamp, which readers then give every record, and
 * recomputes the CRC those fields are covered by.
 */
export function stampLogAppendTime(buffer: Buffer, pos: number, appendTimeMs: number): void {
  buffer.writeInt16BE(buffer.readInt16BE(pos + BatchLayout.ATTRIBUTES) | Attributes.TIMESTAMP_TYPE_LOG_APPEND, pos + BatchLayout.ATTRIBUTES);
  writeInt64(buffer, pos + BatchLayout.MAX_TIMESTAMP, appendTimeMs);
  const end = pos + buffer.readInt32BE(pos + BatchLayout.BATCH_LENGTH) + BatchLayout.LOG_OVERHEAD;
  buffer.writeUInt32BE(crc32c(buffer, pos + BatchLayout.ATTRIBUTES, end), pos + BatchLayout.CRC);
}
