import { StreamsError } from '../common/index.ts';

/**
 * A suppression buffer entry as its changelog carries it:
 * `[version: int8 = 1][buffer time: int64][record timestamp: int64]
 *  [prior value length: int32, -1 = null][prior value][new value length: int32, -1 = null][new value]`,
 * all big-endian. The prior value is what downstream last saw for the key (sent as the old value
 * when the entry is emitted); the new value is the latest update.
 */
export interface BufferEntryBytes {
  readonly time: number;
  readonly timestamp: number;
  readonly priorValue: Buffer | null;
  readonly newValue: Buffer | null;
}

const VERSION = 1;

function writeLong(out: Buffer, position: number, value: number): void {
  out.writeBigInt64BE(BigInt(value), position);
}

function nullableLength(bytes: Buffer | null): number {
  return bytes === null ? 0 : bytes.length;
}

/** Encodes an entry for the buffer's changelog. */
export function encodeBufferEntry(entry: BufferEntryBytes): Buffer {
  const out = Buffer.allocUnsafe(1 + 8 + 8 + 4 + nullableLength(entry.priorValue) + 4 + nullableLength(entry.newValue));
  let position = out.writeInt8(VERSION, 0);
  writeLong(out, position, entry.time);
  writeLong(out, position + 8, entry.timestamp);
  position += 16;
  for (const value of [entry.priorValue, entry.newValue]) {
    position = out.writeInt32BE(value === null ? -1 : value.length, position);
    if (value !== null) position += value.copy(out, position);
  }
  return out;
}

/** Decodes a changelog value; throws CORRUPT_RECORD naming the store when it is not one. */
export function decodeBufferEntry(bytes: Buffer, storeName: string): BufferEntryBytes {
  const corrupt = (why: string) => new StreamsError('CORRUPT_RECORD', `suppression buffer "${storeName}": changelog entry of ${bytes.length} bytes is not a buffer entry (${why})`);
  if (bytes.length < 25 || bytes.readInt8(0) !== VERSION) throw corrupt('unknown version or too short');
  const time = Number(bytes.readBigInt64BE(1));
  const timestamp = Number(bytes.readBigInt64BE(9));
  let position = 17;
  const values: Array<Buffer | null> = [];
  for (let i = 0; i < 2; i++) {
    if (position + 4 > bytes.length) throw corrupt('truncated');
    const length = bytes.readInt32BE(position);
    position += 4;
    if (length === -1) {
      values.push(null);
      continue;
    }
    if (length < 0 || position + length > bytes.length) throw corrupt('value length out of range');
    values.push(bytes.subarray(position, position + length));
    position += length;
  }
  return { time, timestamp, priorValue: values[0]!, newValue: values[1]! };
}
