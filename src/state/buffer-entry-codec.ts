import { StreamsError, writeInt64 } from '../common/index.ts';

/** A record header as the buffer keeps it: a string key and a bytes value (or null). */
export interface BufferedHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/**
 * A suppression buffer entry as its changelog carries it:
 * `[version: int8 = 3][buffer time: int64][record timestamp: int64]` then three values, each
 * `[length: int32, -1 = null][bytes]`: the prior value, the old value and the new value; then the
 * headers: `[count: int32]` and per header `[key length: int32][key: UTF-8][value length: int32,
 * -1 = null][value]`; all big-endian. The prior value is what downstream last saw for the key; the
 * old and new values and the headers are those of the latest update (the emitted record).
 * Version 2 entries have no headers; version 1 entries neither, nor an old value (they decode with
 * the prior value in its place).
 */
export interface BufferEntryBytes {
  readonly time: number;
  readonly timestamp: number;
  readonly priorValue: Buffer | null;
  readonly oldValue: Buffer | null;
  readonly newValue: Buffer | null;
  readonly headers: readonly BufferedHeader[];
}

const VERSION = 3;
const VERSION_WITHOUT_HEADERS = 2;
const VERSION_WITHOUT_OLD_VALUE = 1;

function nullableLength(bytes: Buffer | null): number {
  return bytes === null ? 0 : bytes.length;
}

/** Encodes an entry for the buffer's changelog. */
export function encodeBufferEntry(entry: BufferEntryBytes): Buffer {
  if (!Number.isSafeInteger(entry.time) || !Number.isSafeInteger(entry.timestamp)) {
    throw new StreamsError('INVALID_TIMESTAMP', `suppression buffer entry: time ${entry.time} and timestamp ${entry.timestamp} must be whole numbers of ms`);
  }
  const values = [entry.priorValue, entry.oldValue, entry.newValue];
  const headerKeys = entry.headers.map((header) => Buffer.from(header.key, 'utf8'));
  const headerBytes = entry.headers.reduce((sum, header, i) => sum + 8 + headerKeys[i]!.length + nullableLength(header.value), 4);
  const out = Buffer.allocUnsafe(1 + 8 + 8 + values.reduce((sum, value) => sum + 4 + nullableLength(value), 0) + headerBytes);
  let position = out.writeInt8(VERSION, 0);
  writeInt64(out, position, entry.time);
  writeInt64(out, position + 8, entry.timestamp);
  position += 16;
  for (const value of values) {
    position = out.writeInt32BE(value === null ? -1 : value.length, position);
    if (value !== null) position += value.copy(out, position);
  }
  position = out.writeInt32BE(entry.headers.length, position);
  entry.headers.forEach((header, i) => {
    position = out.writeInt32BE(headerKeys[i]!.length, position);
    position += headerKeys[i]!.copy(out, position);
    position = out.writeInt32BE(header.value === null ? -1 : header.value.length, position);
    if (header.value !== null) position += header.value.copy(out, position);
  });
  return out;
}

/** Decodes a changelog value; throws CORRUPT_RECORD naming the store when it is not one. */
export function decodeBufferEntry(bytes: Buffer, storeName: string): BufferEntryBytes {
  const corrupt = (why: string) => new StreamsError('CORRUPT_RECORD', `suppression buffer "${storeName}": changelog entry of ${bytes.length} bytes is not a buffer entry (${why})`);
  const version = bytes.length === 0 ? -1 : bytes.readInt8(0);
  if (bytes.length < 25 || version < VERSION_WITHOUT_OLD_VALUE || version > VERSION) throw corrupt('unknown version or too short');
  const time = Number(bytes.readBigInt64BE(1));
  const timestamp = Number(bytes.readBigInt64BE(9));
  let position = 17;
  const nextBytes = (): Buffer | null => {
    if (position + 4 > bytes.length) throw corrupt('truncated');
    const length = bytes.readInt32BE(position);
    position += 4;
    if (length === -1) return null;
    if (length < 0 || position + length > bytes.length) throw corrupt('value length out of range');
    position += length;
    return bytes.subarray(position - length, position);
  };
  const priorValue = nextBytes();
  if (version === VERSION_WITHOUT_OLD_VALUE) return { time, timestamp, priorValue, oldValue: priorValue, newValue: nextBytes(), headers: [] };
  const oldValue = nextBytes();
  const newValue = nextBytes();
  if (version === VERSION_WITHOUT_HEADERS) return { time, timestamp, priorValue, oldValue, newValue, headers: [] };
  if (position + 4 > bytes.length) throw corrupt('truncated');
  const count = bytes.readInt32BE(position);
  position += 4;
  if (count < 0) throw corrupt('negative header count');
  const headers: BufferedHeader[] = [];
  for (let i = 0; i < count; i++) {
    const key = nextBytes();
    if (key === null) throw corrupt('null header key');
    headers.push({ key: key.toString('utf8'), value: nextBytes() });
  }
  return { time, timestamp, priorValue, oldValue, newValue, headers };
}
