import type { Header } from '../processor/index.ts';
import type { ProducedRecord } from '../runtime/index.ts';

/** Marks an absent key or value (null) and a partition left to the collector (undefined). */
const NONE = -1;
/** Numbers kept per record. */
const FIELDS = 6;
/** The headers of records produced without any. */
const NO_HEADERS: readonly Header[] = Object.freeze([]);

/**
 * Every record produced to one topic in the test driver, kept compactly: key and value bytes are
 * copied into one growing buffer and the other fields into one growing array of numbers, so the driver keeps
 * no object per record. The driver keeps everything a topology produces (changelogs and repartition
 * topics too) for the whole test; as one object graph per record that made most of each young
 * generation survive, and garbage collection dominated the driver's per-record cost.
 *
 * Records are rebuilt on demand: their key and value are views into the buffer, which is only
 * ever appended to (growing copies it; earlier views keep the old copy alive and unchanged).
 *
 * @example
 * const log = new ProducedLog('out');
 * log.append({ topic: 'out', partition: 0, key, value, timestamp: 5, headers: [] });
 * log.record(0).timestamp; // 5
 */
export class ProducedLog {
  private bytes = Buffer.allocUnsafe(4096);
  private used = 0;
  /** FIELDS numbers per record: key offset and length, value offset and length (NONE: null), timestamp, partition. */
  private fields = new Float64Array(FIELDS * 256);
  private count = 0;
  /** Headers of the records that have any, by record index (most records have none). */
  private readonly headers = new Map<number, readonly Header[]>();

  constructor(readonly topic: string) {}

  get size(): number {
    return this.count;
  }

  append(record: ProducedRecord): void {
    let at = this.count * FIELDS;
    if (at + FIELDS > this.fields.length) {
      const grown = new Float64Array(this.fields.length * 2);
      grown.set(this.fields);
      this.fields = grown;
    }
    const fields = this.fields;
    fields[at++] = this.used;
    fields[at++] = this.copyIn(record.key);
    fields[at++] = this.used;
    fields[at++] = this.copyIn(record.value);
    fields[at++] = record.timestamp;
    fields[at] = record.partition ?? NONE;
    if (record.headers.length > 0) this.headers.set(this.count, record.headers);
    this.count++;
  }

  /** The record at `index` (0 = the oldest), rebuilt; its key and value are views, never to be written. */
  record(index: number): ProducedRecord {
    const fields = this.fields;
    const at = index * FIELDS;
    const partition = fields[at + 5]!;
    return {
      topic: this.topic,
      partition: partition === NONE ? undefined : partition,
      key: this.view(fields[at]!, fields[at + 1]!),
      value: this.view(fields[at + 2]!, fields[at + 3]!),
      timestamp: fields[at + 4]!,
      headers: this.headers.get(index) ?? NO_HEADERS,
    };
  }

  /** Every record, oldest first, rebuilt. */
  records(): ProducedRecord[] {
    const all: ProducedRecord[] = [];
    for (let i = 0; i < this.count; i++) all.push(this.record(i));
    return all;
  }

  /** Copies `data` after the bytes kept so far; returns its length, NONE for null. */
  private copyIn(data: Buffer | null): number {
    if (data === null) return NONE;
    if (this.used + data.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + data.length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.bytes.set(data, this.used);
    this.used += data.length;
    return data.length;
  }

  private view(at: number, length: number): Buffer | null {
    return length === NONE ? null : this.bytes.subarray(at, at + length);
  }
}
