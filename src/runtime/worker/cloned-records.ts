/**
 * Records after `postMessage`: the structured clone turns every Buffer into a plain Uint8Array
 * (on the same memory), so the receiving side wraps them back into Buffers — no byte is copied.
 */
import type { ClusterRecord, FetchedPage } from '../../client/index.ts';

type StoredRecord = FetchedPage['records'][number];
type RecordHeader = ClusterRecord['headers'][number];

/** A Buffer on the bytes of a cloned Uint8Array (null stays null). */
export function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function headersOf(headers: readonly RecordHeader[]): RecordHeader[] {
  return headers.length === 0 ? [] : headers.map((h) => ({ key: h.key, value: asBuffer(h.value) }));
}

/** Fetched records as the worker receives them, with Buffers again. */
export function receivedStoredRecords(records: readonly StoredRecord[]): StoredRecord[] {
  return records.map((r) => ({ offset: r.offset, timestamp: r.timestamp, key: asBuffer(r.key), value: asBuffer(r.value), headers: headersOf(r.headers) }));
}

/** Records to append as the main thread receives them, with Buffers again. */
export function receivedClusterRecords(records: readonly ClusterRecord[]): ClusterRecord[] {
  return records.map((r) => ({
    ...(r.partition === undefined ? {} : { partition: r.partition }),
    timestamp: r.timestamp, key: asBuffer(r.key), value: asBuffer(r.value), headers: headersOf(r.headers),
  }));
}
