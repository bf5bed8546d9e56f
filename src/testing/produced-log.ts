import type { Header } from '../processor/index.ts';
import type { ProducedRecord } from '../runtime/index.ts';

/** Marks an absent key or value (null) and a partition left to the collector (undefined). */
const NONE = -1;
/** Whole numbers kept per record: key chunk, offset, length; value chunk, offset, length; partition. */
const FIELDS = 7;
/** Records per page of numbers. */
const PAGE_RECORDS = 2048;
/** Records the first page starts with (it doubles up to PAGE_RECORDS): most tests produce a few records per topic. */
const FIRST_PAGE_RECORDS = 64;
/** Bytes of the first chunk of key and value bytes; each next chunk doubles, up to CHUNK_BYTES. */
const FIRST_CHUNK_BYTES = 4096;
/** Bytes per chunk once grown; a larger key or value gets a chunk of its own. */
const CHUNK_BYTES = 64 * 1024;
/** The headers of records produced without any. */
const NO_HEADERS: readonly Header[] = Object.freeze([]);

/**
 * Every record produced to one topic in the test driver, kept compactly: key and value bytes are
 * copied into chunks of bytes, the other fields into pages of numbers, so the driver keeps no object
 * per record. The driver keeps everything a topology produces (changelogs and repartition topics
 * too) for the whole test; as one object graph per record that made most of each young generation
 * survive, and garbage collection dominated the driver's per-record cost.
 *
 * Chunks and pages are never copied once full-sized (only the first page grows while small): a
 * buffer that doubled and copied itself touched every byte twice in fresh memory, and those page
 * faults cost more per record than the copy. Records are rebuilt on demand: their key and value
 * are views into a chunk, which is only ever appended to.
 *
 * @example
 * const log = new ProducedLog('out');
 * log.append({ topic: 'out', partition: 0, key, value, timestamp: 5, headers: [] });
 * log.record(0).timestamp; // 5
 */
export class ProducedLog {
  private readonly chunks: Buffer[] = [];
  /** The chunk being filled (index into `chunks`; -1 before the first) and how much of it is used. */
  private chunk = -1;
  private used = 0;
  private readonly fieldPages: Int32Array[] = [];
  private readonly timestampPages: Float64Array[] = [];
  private count = 0;
  /** Headers of the records that have any, by record index (most records have none). */
  private readonly headers = new Map<number, readonly Header[]>();

  constructor(readonly topic: string) {}

  get size(): number {
    return this.count;
  }

  append(record: ProducedRecord): void {
    const index = this.count;
    const page = Math.floor(index / PAGE_RECORDS);
    const slot = index - page * PAGE_RECORDS;
    if (page === this.fieldPages.length) {
      const records = page === 0 ? FIRST_PAGE_RECORDS : PAGE_RECORDS;
      this.fieldPages.push(new Int32Array(records * FIELDS));
      this.timestampPages.push(new Float64Array(records));
    } else if (slot === this.timestampPages[page]!.length) {
      this.growFirstPage();
    }
    const fields = this.fieldPages[page]!;
    this.copyIn(record.key, fields, slot * FIELDS);
    this.copyIn(record.value, fields, slot * FIELDS + 3);
    fields[slot * FIELDS + 6] = record.partition ?? NONE;
    this.timestampPages[page]![slot] = record.timestamp;
    if (record.headers.length > 0) this.headers.set(index, record.headers);
    this.count++;
  }

  /** The record at `index` (0 = the oldest), rebuilt; its key and value are views, never to be written. */
  record(index: number): ProducedRecord {
    const page = Math.floor(index / PAGE_RECORDS);
    const slot = index - page * PAGE_RECORDS;
    const fields = this.fieldPages[page]!;
    const at = slot * FIELDS;
    const partition = fields[at + 6]!;
    return {
      topic: this.topic,
      partition: partition === NONE ? undefined : partition,
      key: this.view(fields, at),
      value: this.view(fields, at + 3),
      timestamp: this.timestampPages[page]![slot]!,
      headers: this.headers.get(index) ?? NO_HEADERS,
    };
  }

  /** Hands the fields of the record at `index` to `visit` without building a record; key and value are views. */
  visit(index: number, visit: (key: Buffer | null, value: Buffer | null, timestamp: number, headers: readonly Header[]) => void): void {
    const page = Math.floor(index / PAGE_RECORDS);
    const slot = index - page * PAGE_RECORDS;
    const fields = this.fieldPages[page]!;
    const at = slot * FIELDS;
    visit(this.view(fields, at), this.view(fields, at + 3), this.timestampPages[page]![slot]!, this.headers.get(index) ?? NO_HEADERS);
  }

  /** Every record, oldest first, rebuilt. */
  records(): ProducedRecord[] {
    const all: ProducedRecord[] = [];
    for (let i = 0; i < this.count; i++) all.push(this.record(i));
    return all;
  }

  /** Copies `data` into the current chunk (or a new one) and notes chunk, offset and length at `fields[at]`. */
  private copyIn(data: Buffer | null, fields: Int32Array, at: number): void {
    if (data === null) {
      fields[at + 2] = NONE;
      return;
    }
    const length = data.length;
    let chunk = this.chunks[this.chunk];
    if (chunk === undefined || this.used + length > chunk.length) {
      const size = chunk === undefined ? FIRST_CHUNK_BYTES : Math.min(chunk.length * 2, CHUNK_BYTES);
      chunk = Buffer.allocUnsafe(Math.max(size, length));
      this.chunks.push(chunk);
      this.chunk = this.chunks.length - 1;
      this.used = 0;
    }
    const offset = this.used;
    chunk.set(data, offset);
    fields[at] = this.chunk;
    fields[at + 1] = offset;
    fields[at + 2] = length;
    this.used = offset + length;
  }

  /** Doubles the first page, the only one that starts small. */
  private growFirstPage(): void {
    const fields = new Int32Array(this.fieldPages[0]!.length * 2);
    fields.set(this.fieldPages[0]!);
    this.fieldPages[0] = fields;
    const timestamps = new Float64Array(this.timestampPages[0]!.length * 2);
    timestamps.set(this.timestampPages[0]!);
    this.timestampPages[0] = timestamps;
  }

  private view(fields: Int32Array, at: number): Buffer | null {
    const length = fields[at + 2]!;
    if (length === NONE) return null;
    const offset = fields[at + 1]!;
    return this.chunks[fields[at]!]!.subarray(offset, offset + length);
  }
}
