/**
 * Byte layouts of window and session store keys (Kafka's WindowKeySchema and SessionKeySchema), so
 * that all entries of one record key sit together in key order and, within a key, in time order:
 * a (key, time range) fetch is one ordered range scan.
 *
 * - window store: `[key][window start: int64 BE][sequence number: int32 BE]`; the sequence number
 *   tells duplicates apart in stores that keep them (stream-stream join buffers), else it is 0;
 * - session store: `[key][session end: int64 BE][session start: int64 BE]`.
 *
 * Times are non-negative (windows never start before the epoch), so big-endian bytes compare in
 * numeric order. A shorter record key can be a prefix of a longer one, so a range scan may meet
 * other keys' entries: callers check the key part of every entry they read.
 */
export const TIME_BYTES = 8;
export const SEQUENCE_BYTES = 4;
/** Suffix after the record key in a window store key. */
export const WINDOW_SUFFIX_BYTES = TIME_BYTES + SEQUENCE_BYTES;
/** Suffix after the record key in a session store key. */
export const SESSION_SUFFIX_BYTES = 2 * TIME_BYTES;
/** The greatest time a key can hold (Kafka's Long.MAX_VALUE, as far as a JS number is exact). */
export const MAX_TIME = Number.MAX_SAFE_INTEGER;
const MAX_SEQUENCE = 0x7fff_ffff;

function writeTime(out: Buffer, position: number, time: number): void {
  out.writeUInt32BE(Math.floor(time / 0x1_0000_0000), position);
  out.writeUInt32BE(time >>> 0, position + 4);
}

function readTime(bytes: Buffer, position: number): number {
  return bytes.readUInt32BE(position) * 0x1_0000_0000 + bytes.readUInt32BE(position + 4);
}

/** The time at `position` of a sort key (sort-key.ts: one character per byte). */
function readSortKeyTime(sortKey: string, position: number): number {
  let high = 0;
  let low = 0;
  for (let i = 0; i < 4; i++) high = high * 256 + sortKey.charCodeAt(position + i);
  for (let i = 4; i < 8; i++) low = low * 256 + sortKey.charCodeAt(position + i);
  return high * 0x1_0000_0000 + low;
}

/** A window store key for `key` at window start `time` with sequence number `sequence`. */
export function windowStoreKey(key: Buffer, time: number, sequence: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + WINDOW_SUFFIX_BYTES);
  key.copy(out, 0);
  writeTime(out, key.length, time);
  out.writeUInt32BE(sequence, key.length + TIME_BYTES);
  return out;
}

/** The lowest window store key of `key` at `time` or later. */
export function windowLowerBound(key: Buffer, time: number): Buffer {
  return windowStoreKey(key, time, 0);
}

/** The highest window store key of `key` at `time` or earlier. */
export function windowUpperBound(key: Buffer, time: number): Buffer {
  return windowStoreKey(key, time, MAX_SEQUENCE);
}

/** The record key inside a window store key (a view). */
export function windowKeyOf(storeKey: Buffer): Buffer {
  return storeKey.subarray(0, storeKey.length - WINDOW_SUFFIX_BYTES);
}

/** The window start inside a window store key. */
export function windowTimeOf(storeKey: Buffer): number {
  return readTime(storeKey, storeKey.length - WINDOW_SUFFIX_BYTES);
}

/** The window start inside a window store key given as a sort key. */
export function windowTimeOfSortKey(sortKey: string): number {
  return readSortKeyTime(sortKey, sortKey.length - WINDOW_SUFFIX_BYTES);
}

/** A session store key for the session `[start, end]` of `key`. */
export function sessionStoreKey(key: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + SESSION_SUFFIX_BYTES);
  key.copy(out, 0);
  writeTime(out, key.length, end);
  writeTime(out, key.length + TIME_BYTES, start);
  return out;
}

/** The record key inside a session store key (a view). */
export function sessionKeyOf(storeKey: Buffer): Buffer {
  return storeKey.subarray(0, storeKey.length - SESSION_SUFFIX_BYTES);
}

/** The session end inside a session store key; sessions expire by their end. */
export function sessionEndOf(storeKey: Buffer): number {
  return readTime(storeKey, storeKey.length - SESSION_SUFFIX_BYTES);
}

/** The session end inside a session store key given as a sort key. */
export function sessionEndOfSortKey(sortKey: string): number {
  return readSortKeyTime(sortKey, sortKey.length - SESSION_SUFFIX_BYTES);
}

/** The session start inside a session store key. */
export function sessionStartOf(storeKey: Buffer): number {
  return readTime(storeKey, storeKey.length - TIME_BYTES);
}
