/**
 * Records packed into one buffer for `postMessage`: a page of fetched records, or a batch to
 * append. The structured clone of an array of records copies every record object and, for every
 * Buffer, the whole memory it views (an 8 KiB pool slab, a fetch's read buffer); one packed page is
 * one copy, and the receiver's keys and values are views on it.
 *
 * Layout, per record, little-endian: offset f64 (or the target partition, -1 for none), timestamp
 * f64, key length i32 (-1 null) and bytes, value length i32 (-1 null) and bytes, header count u16,
 * then per header: key length u16 and UTF-8 bytes, value length i32 (-1 null) and bytes.
 */
import type { ClusterRecord, FetchedPage } from '../../client/index.ts';

type StoredRecord = FetchedPage['records'][number];
type RecordHeader = ClusterRecord['headers'][number];

/** Packed records: the clone of this is one copy of `bytes`. */
export interface RecordPage {
  readonly count: number;
  readonly bytes: Uint8Array;
}

function bytesOf(value: Buffer | null): number {
  return value === null ? 0 : value.length;
}

/** Packs records; `slotOf` is what goes in the first field (the offset, or the partition). */
function pack<R extends { readonly key: Buffer | null; readonly value: Buffer | null; readonly timestamp: number; readonly headers: readonly RecordHeader[] }>(
  records: readonly R[],
  slotOf: (record: R) => number,
): RecordPage {
  let size = 0;
  for (const r of records) {
    size += 26 + bytesOf(r.key) + bytesOf(r.value);
    for (const h of r.headers) size += 6 + Buffer.byteLength(h.key) + bytesOf(h.value);
  }
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  const writeBytes = (value: Buffer | null) => {
    if (value === null) {
      at = out.writeInt32LE(-1, at);
      return;
    }
    at = out.writeInt32LE(value.length, at);
    at += value.copy(out, at);
  };
  for (const r of records) {
    at = out.writeDoubleLE(slotOf(r), at);
    at = out.writeDoubleLE(r.timestamp, at);
    writeBytes(r.key);
    writeBytes(r.value);
    at = out.writeUInt16LE(r.headers.length, at);
    for (const h of r.headers) {
      const keyLength = out.write(h.key, at + 2);
      at = out.writeUInt16LE(keyLength, at) + keyLength;
      writeBytes(h.value);
    }
  }
  return { count: records.length, bytes: out };
}

/** Unpacks records, their keys and values views on the page's bytes. */
function unpack<R>(page: RecordPage, make: (slot: number, timestamp: number, key: Buffer | null, value: Buffer | null, headers: RecordHeader[]) => R): R[] {
  const data = Buffer.from(page.bytes.buffer, page.bytes.byteOffset, page.bytes.byteLength);
  const records = new Array<R>(page.count);
  let at = 0;
  const readBytes = () => {
    const length = data.readInt32LE(at);
    at += 4;
    if (length < 0) return null;
    at += length;
    return data.subarray(at - length, at);
  };
  for (let i = 0; i < page.count; i++) {
    const slot = data.readDoubleLE(at);
    const timestamp = data.readDoubleLE(at + 8);
    at += 16;
    const key = readBytes();
    const value = readBytes();
    const headerCount = data.readUInt16LE(at);
    at += 2;
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const keyLength = data.readUInt16LE(at);
      const headerKey = data.toString('utf8', at + 2, at + 2 + keyLength);
      at += 2 + keyLength;
      headers.push({ key: headerKey, value: readBytes() });
    }
    records[i] = make(slot, timestamp, key, value, headers);
  }
  return records;
}

/** A page of fetched records, packed (the slot is the offset). */
export function packStored(records: readonly StoredRecord[]): RecordPage {
  return pack(records, (r) => r.offset);
}

export function unpackStored(page: RecordPage): StoredRecord[] {
  return unpack(page, (offset, timestamp, key, value, headers) => ({ offset, timestamp, key, value, headers }));
}

/** Records to append, packed (the slot is the partition, -1 for the default partitioner). */
export function packToAppend(records: readonly ClusterRecord[]): RecordPage {
  return pack(records, (r) => r.partition ?? -1);
}

export function unpackToAppend(page: RecordPage): ClusterRecord[] {
  return unpack(page, (partition, timestamp, key, value, headers) => (partition < 0 ? { timestamp, key, value, headers } : { partition, timestamp, key, value, headers }));
}
