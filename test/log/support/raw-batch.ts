import { writeInt64 } from '../../../src/common/index.ts';
import { BatchLayout, crc32c } from '../../../src/record/index.ts';
import { sizeOfVarlong, writeVarlong } from '../../../src/record/varint.ts';

/** A record's fields as written, each overridable to lie: lengths default to the true ones. */
export interface RawRecord {
  readonly attributes?: number;
  readonly timestampDelta: number;
  readonly offsetDelta: number;
  readonly key: Buffer | null;
  readonly keyLength?: number;
  readonly value: Buffer | null;
  readonly valueLength?: number;
  readonly headers: ReadonlyArray<{ key: Buffer | null; keyLength?: number; value: Buffer | null; valueLength?: number }>;
  readonly headerCount?: number;
  /** Bytes after the fields, inside the record's length. */
  readonly padding?: Buffer;
  /** Added to the true length varint. */
  readonly lengthDelta?: number;
}

/** A batch's header fields as written; count, lastOffsetDelta, maxTimestamp and length default to the true ones. */
export interface RawBatch {
  readonly magic?: number;
  readonly attributes?: number;
  readonly recordCount?: number;
  readonly lastOffsetDelta?: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp?: number;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly partitionLeaderEpoch?: number;
  /** Added to the true batch length; the CRC then covers the declared length where it can. */
  readonly batchLengthDelta?: number;
  readonly records: readonly RawRecord[];
  /** Bytes after the last record, inside the batch length. */
  readonly trailing?: Buffer;
}

/**
 * Encodes a batch field by field, lies included, with a correct batch length and CRC: the bytes a
 * hostile or broken client could send that pass the checks a stored batch gets.
 */
export function encodeRawBatch(spec: RawBatch): Buffer {
  const bodies = spec.records.map(recordBytes);
  const records = Buffer.concat([...bodies, spec.trailing ?? Buffer.alloc(0)]);
  const buffer = Buffer.alloc(BatchLayout.HEADER_SIZE + records.length);
  writeInt64(buffer, BatchLayout.BASE_OFFSET, 0);
  const declared = buffer.length + (spec.batchLengthDelta ?? 0);
  buffer.writeInt32BE(declared - BatchLayout.LOG_OVERHEAD, BatchLayout.BATCH_LENGTH);
  buffer.writeInt32BE(spec.partitionLeaderEpoch ?? 0, BatchLayout.PARTITION_LEADER_EPOCH);
  buffer.writeInt8(spec.magic ?? 2, BatchLayout.MAGIC);
  buffer.writeInt16BE(spec.attributes ?? 0, BatchLayout.ATTRIBUTES);
  buffer.writeInt32BE(spec.lastOffsetDelta ?? spec.records.length - 1, BatchLayout.LAST_OFFSET_DELTA);
  writeInt64(buffer, BatchLayout.BASE_TIMESTAMP, spec.baseTimestamp);
  const trueMax = Math.max(spec.baseTimestamp, ...spec.records.map((r) => spec.baseTimestamp + r.timestampDelta));
  writeInt64(buffer, BatchLayout.MAX_TIMESTAMP, spec.maxTimestamp ?? trueMax);
  writeInt64(buffer, BatchLayout.PRODUCER_ID, spec.producerId ?? -1);
  buffer.writeInt16BE(spec.producerEpoch ?? -1, BatchLayout.PRODUCER_EPOCH);
  buffer.writeInt32BE(spec.baseSequence ?? -1, BatchLayout.BASE_SEQUENCE);
  buffer.writeInt32BE(spec.recordCount ?? spec.records.length, BatchLayout.RECORD_COUNT);
  records.copy(buffer, BatchLayout.HEADER_SIZE);
  buffer.writeUInt32BE(crc32c(buffer, BatchLayout.ATTRIBUTES, Math.max(BatchLayout.ATTRIBUTES, Math.min(declared, buffer.length))), BatchLayout.CRC);
  return buffer;
}

function varlong(value: number): Buffer {
  const out = Buffer.alloc(sizeOfVarlong(value));
  writeVarlong(out, 0, value);
  return out;
}

function bytesField(bytes: Buffer | null, length: number | undefined): Buffer[] {
  return [varlong(length ?? (bytes === null ? -1 : bytes.length)), bytes ?? Buffer.alloc(0)];
}

function recordBytes(record: RawRecord): Buffer {
  const parts: Buffer[] = [
    Buffer.from([record.attributes ?? 0]),
    varlong(record.timestampDelta),
    varlong(record.offsetDelta),
    ...bytesField(record.key, record.keyLength),
    ...bytesField(record.value, record.valueLength),
    varlong(record.headerCount ?? record.headers.length),
  ];
  for (const header of record.headers) parts.push(...bytesField(header.key, header.keyLength), ...bytesField(header.value, header.valueLength));
  if (record.padding !== undefined) parts.push(record.padding);
  const body = Buffer.concat(parts);
  return Buffer.concat([varlong(body.length + (record.lengthDelta ?? 0)), body]);
}
