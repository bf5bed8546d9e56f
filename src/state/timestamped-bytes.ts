/**
 * Kafka's timestamped value layout: an 8-byte big-endian timestamp followed by the plain value
 * bytes. Timestamped stores keep values this way; their changelogs carry only the plain value, with
 * the timestamp as the record's timestamp.
 */
export const TIMESTAMP_BYTES = 8;

/** `timestamp` (8 bytes, big-endian) followed by `value`, in one new Buffer. */
export function withTimestamp(value: Buffer, timestamp: number): Buffer {
  const out = Buffer.allocUnsafe(TIMESTAMP_BYTES + value.length);
  if (Number.isSafeInteger(timestamp)) {
    // Two 32-bit halves, as timestampOf reads them: no BigInt per write (stores write once per update).
    writeHalves(out, 0, timestamp);
  } else {
    out.writeBigInt64BE(BigInt(timestamp), 0);
  }
  value.copy(out, TIMESTAMP_BYTES);
  return out;
}

/**
 * A Long value (as `Serdes.Long()` writes it) after its timestamp, in one new 16-byte Buffer: what
 * `withTimestamp(longBytes, timestamp)` makes, without the Long's own Buffer and the copy. Both
 * must be safe integers.
 */
export function longWithTimestamp(value: number, timestamp: number): Buffer {
  const out = Buffer.allocUnsafe(TIMESTAMP_BYTES + 8);
  writeHalves(out, 0, timestamp);
  writeHalves(out, TIMESTAMP_BYTES, value);
  return out;
}

/** The Long value after the timestamp of a 16-byte timestamped value (may be beyond the safe range). */
export function longAfterTimestamp(timestamped: Buffer): number {
  return timestamped.readInt32BE(TIMESTAMP_BYTES) * 0x1_0000_0000 + timestamped.readUInt32BE(TIMESTAMP_BYTES + 4);
}

function writeHalves(out: Buffer, position: number, safeInteger: number): void {
  const high = Math.floor(safeInteger / 0x1_0000_0000);
  out.writeInt32BE(high, position);
  out.writeUInt32BE(safeInteger - high * 0x1_0000_0000, position + 4);
}

/** The timestamp at the front of a timestamped value. */
export function timestampOf(timestamped: Buffer): number {
  // Two 32-bit halves avoid a BigInt per read; exact for every timestamp a JS number can hold.
  return timestamped.readInt32BE(0) * 0x1_0000_0000 + timestamped.readUInt32BE(4);
}

/** The plain value after the timestamp (a view, not a copy). */
export function rawValueOf(timestamped: Buffer): Buffer {
  return timestamped.subarray(TIMESTAMP_BYTES);
}
