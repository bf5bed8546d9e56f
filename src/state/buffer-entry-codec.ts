import { StreamsError } from '../common/index.ts';

/**
 * A suppression buffer entry as its changelog carries it:
 * `[version: int8 = 2][buffer time: int64][record timestamp: int64]` then three values, each
 * `[length: int32, -1 = null][bytes]`: the prior value, the old value and the new value, all
 * big-endian. The prior value is what downstream last saw for the key; the old and new values are
 * those of the latest update (the emitted change). Version 1 entries have no old value; they
 * decode with the prior value in its place.
 */
export interface BufferEntryBytes {
  readonly time: number;
  readonly timestamp: number;
  readonly priorValue: Buffer | null;
  readonly oldValue: Buffer | null;
  readonly newValue: Buffer | null;
}

const VERSION = 2;
const VERSION_WITHOUT_OLD_VALUE = 1;

function writeLong(out: Buffer, position: number, value: number): void {
  out.writeBigInt64BE(BigInt(value), position);
}

function nullableLength(bytes: Buffer | null): number {
  return bytes === null ? 0 : bytes.length;
}

/** Encodes an entry for the buffer's changelog. */
export function encodeBufferEntry(entry: BufferEntryBytes): Buffer {
  const values = [entry.priorValue, entry.oldValue, entry.newValue];
  const out = Buffer.allocUnsafe(1 + 8 + 8 + values.reduce((sum, value) => sum + 4 + nullableLength(value), 0));
  let position = out.writeInt8(VERSION, 0);
  writeLong(out, position, entry.time);
  writeLong(out, position + 8, entry.timestamp);
  position += 16;
  for (const value of values) {
    position = out.writeInt32BE(value === null ? -1 : value.length, position);
    if (value !== null) position += value.copy(out, position);
  }
  return out;
}

/** Decodes a changelog value; throws CORRUPT_RECORD naming the store when it is not one. */
export function decodeBufferEntry(bytes: Buffer, storeName: string): BufferEntryBytes {
  const corrupt = (why: string) => new StreamsError('CORRUPT_RECORD', `suppression buffer "${storeName}": changelog entry of ${bytes.length} bytes is not a buffer entry (${why})`);
  const version = bytes.length === 0 ? -1 : bytes.readInt8(0);
  if (bytes.length < 25 || (version !== VERSION && version !== VERSION_WITHOUT_OLD_VALUE)) throw corrupt('unknown version or too short');
  const time = Number(bytes.readBigInt64BE(1));
  const timestamp = Number(bytes.readBigInt64BE(9));
  let position = 17;
  const values: Array<Buffer | null> = [];
  for (let i = 0; i < (version === VERSION ? 3 : 2); i++) {
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
  if (version === VERSION_WITHOUT_OLD_VALUE) return { time, timestamp, priorValue: values[0]!, oldValue: values[0]!, newValue: values[1]! };
  return { time, timestamp, priorValue: values[0]!, oldValue: values[1]!, newValue: values[2]! };
}
