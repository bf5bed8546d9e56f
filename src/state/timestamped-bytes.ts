/**
 * Kafka's timestamped value layout: an 8-byte big-endian timestamp followed by the plain value
 * bytes. Timestamped stores keep values this way; their changelogs carry only the plain value, with
 * the timestamp as the record's timestamp.
 */
import { readInt64, writeInt64 } from '../common/index.ts';

export const TIMESTAMP_BYTES = 8;

/** `timestamp` (8 bytes, big-endian) followed by `value`, in one new Buffer. */
export function withTimestamp(value: Buffer, timestamp: number): Buffer {
  const out = Buffer.allocUnsafe(TIMESTAMP_BYTES + value.length);
  writeTimestamp(out, timestamp);
  value.copy(out, TIMESTAMP_BYTES);
  return out;
}

/** Writes `timestamp` into the first 8 bytes of `out` (big-endian). */
export function writeTimestamp(out: Buffer, timestamp: number): void {
  if (Number.isSafeInteger(timestamp)) {
    // Two 32-bit halves, as timestampOf reads them: no BigInt per write (stores write once per update).
    writeInt64(out, 0, timestamp);
  } else {
    out.writeBigInt64BE(BigInt(timestamp), 0);
  }
}

/** The timestamp at the front of a timestamped value. */
export function timestampOf(timestamped: Buffer): number {
  return readInt64(timestamped, 0);
}

/** The plain value after the timestamp (a view, not a copy). */
export function rawValueOf(timestamped: Buffer): Buffer {
  return timestamped.subarray(TIMESTAMP_BYTES);
}
