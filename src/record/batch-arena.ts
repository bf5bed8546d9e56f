import { crc32c } from './crc32c.ts';
import type { BatchOptions } from './encode-batch.ts';
import { writeInt64 } from '../common/index.ts';
import { Attributes, BatchLayout, CURRENT_MAGIC } from './batch-layout.ts';
import type { LogRecord } from './log-record.ts';
import { sizeOfVarlong, writeVarlong } from './varint.ts';

const INITIAL_BYTES = 64 * 1024;
/** An arena grown past this by one large batch gives the memory back at the next `reset`. */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;

/**
 * A reusable byte area that record batches (uncompressed Kafka record batch v2) are encoded into,
 * one after another, in a single pass over the records. A writer that encodes batches, writes
 * them out and then forgets them (the log's append path) reuses the same memory for every call
 * instead of allocating a buffer per batch, and skips the sizing pass a buffer of the exact size
 * needs.
 *
 * The Buffers `encode` returns view the arena: they stay valid until `reset`, after which the
 * next `encode` overwrites them. Use `encodeBatch` for a batch that must outlive that.
 *
 * @example
 * const arena = new BatchArena();
 * const batch = arena.encode(records, { baseOffset: 0 });
 * writeSync(fd, batch);
 * arena.reset();
 */
export class BatchArena {
  private bytes = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private used = 0;
  /** Where the batch being encoded starts; moves to 0 when the arena grows mid-batch. */
  private batchStart = 0;

  /** Makes the whole arena free again: every Buffer `encode` returned before may be overwritten. */
  reset(): void {
    this.used = 0;
    if (this.bytes.length > MAX_KEPT_BYTES) this.bytes = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  }

  /**
   * Encodes records as one batch after the batches encoded since the last `reset`; returns the
   * batch's bytes (a view of the arena). Record timestamps and offsets are stored as deltas from
   * the first record's timestamp and `options.baseOffset`.
   */
  encode(records: readonly LogRecord[], options: BatchOptions): Buffer {
    const count = records.length;
    if (count === 0) throw new RangeError('a record batch needs at least one record');
    const deltas = options.offsetDeltas;
    if (deltas !== undefined && deltas.length !== count) throw new RangeError('offsetDeltas needs one entry per record');
    this.batchStart = this.used;
    let buffer = this.bytes;
    let pos = this.batchStart + BatchLayout.HEADER_SIZE;
    if (pos > buffer.length) {
      pos = this.grow(this.batchStart, BatchLayout.HEADER_SIZE) + BatchLayout.HEADER_SIZE;
      buffer = this.bytes;
    }
    const baseTimestamp = records[0]!.timestamp;
    let maxTimestamp = baseTimestamp;
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      const timestamp = record.timestamp;
      if (timestamp > maxTimestamp) maxTimestamp = timestamp;
      const timestampDelta = timestamp - baseTimestamp;
      const offsetDelta = deltas === undefined ? i : deltas[i]!;
      const { key, value, headers } = record;
      let body = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarlong(offsetDelta) + bytesFieldSize(key) + bytesFieldSize(value) + sizeOfVarlong(headers.length);
      for (const header of headers) {
        const keyLength = Buffer.byteLength(header.key, 'utf8');
        body += sizeOfVarlong(keyLength) + keyLength + bytesFieldSize(header.value);
      }
      // 5: the most a varint of a body length below 2^31 takes.
      if (pos + 5 + body > buffer.length) {
        pos = this.grow(pos, 5 + body);
        buffer = this.bytes;
      }
      pos = writeVarlong(buffer, pos, body);
      buffer[pos++] = 0; // record attributes: unused
      pos = writeVarlong(buffer, pos, timestampDelta);
      pos = writeVarlong(buffer, pos, offsetDelta);
      pos = writeBytes(buffer, pos, key);
      pos = writeBytes(buffer, pos, value);
      pos = writeVarlong(buffer, pos, headers.length);
      for (const header of headers) {
        pos = writeVarlong(buffer, pos, Buffer.byteLength(header.key, 'utf8'));
        pos += buffer.write(header.key, pos, 'utf8');
        pos = writeBytes(buffer, pos, header.value);
      }
    }
    const start = this.batchStart;
    const size = pos - start;
    writeInt64(buffer, start + BatchLayout.BASE_OFFSET, options.baseOffset);
    buffer.writeInt32BE(size - BatchLayout.LOG_OVERHEAD, start + BatchLayout.BATCH_LENGTH);
    buffer.writeInt32BE(options.partitionLeaderEpoch ?? 0, start + BatchLayout.PARTITION_LEADER_EPOCH);
    buffer.writeInt8(CURRENT_MAGIC, start + BatchLayout.MAGIC);
    let attributes = 0;
    if (options.transactional === true) attributes |= Attributes.TRANSACTIONAL;
    if (options.control === true) attributes |= Attributes.CONTROL;
    buffer.writeInt16BE(attributes, start + BatchLayout.ATTRIBUTES);
    buffer.writeInt32BE(deltas === undefined ? count - 1 : deltas[count - 1]!, start + BatchLayout.LAST_OFFSET_DELTA);
    writeInt64(buffer, start + BatchLayout.BASE_TIMESTAMP, baseTimestamp);
    writeInt64(buffer, start + BatchLayout.MAX_TIMESTAMP, maxTimestamp);
    writeInt64(buffer, start + BatchLayout.PRODUCER_ID, options.producerId ?? -1);
    buffer.writeInt16BE(options.producerEpoch ?? -1, start + BatchLayout.PRODUCER_EPOCH);
    buffer.writeInt32BE(options.baseSequence ?? -1, start + BatchLayout.BASE_SEQUENCE);
    buffer.writeInt32BE(count, start + BatchLayout.RECORD_COUNT);
    buffer.writeUInt32BE(crc32c(buffer, start + BatchLayout.ATTRIBUTES, pos), start + BatchLayout.CRC);
    this.used = pos;
    return buffer.subarray(start, pos);
  }

  /**
   * Moves the batch being encoded (`batchStart` up to `pos`) to the start of a larger arena with
   * room for `needed` more bytes; returns where `pos` is now. Batches encoded before keep the old
   * memory, which their views hold alive.
   */
  private grow(pos: number, needed: number): number {
    const length = pos - this.batchStart;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, length + needed));
    this.bytes.copy(grown, 0, this.batchStart, pos);
    this.bytes = grown;
    this.batchStart = 0;
    return length;
  }
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
