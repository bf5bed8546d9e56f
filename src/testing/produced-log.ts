import type { Header } from '../processor/index.ts';
import type { ProducedRecord } from '../runtime/index.ts';

/** Marks an absent key or value (null) and a partition left to the collector (undefined). */
const NONE = -1;

/**
 * Every record produced to one topic in the test driver, kept compactly: key and value bytes are
 * copied into one growing buffer and the other fields into arrays of numbers, so the driver keeps
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
  // One entry per record: byte offsets and lengths (NONE for null), timestamp, partition (NONE: undefined).
  private readonly keyAt: number[] = [];
  private readonly keyLength: number[] = [];
  private readonly valueAt: number[] = [];
  private readonly valueLength: number[] = [];
  private readonly timestamps: number[] = [];
  private readonly partitions: number[] = [];
  private readonly headers: Array<readonly Header[]> = [];

  constructor(readonly topic: string) {}

  get size(): number {
    return this.timestamps.length;
  }

  append(record: ProducedRecord): void {
    this.keyAt.push(this.used);
    this.keyLength.push(this.copyIn(record.key));
    this.valueAt.push(this.used);
    this.valueLength.push(this.copyIn(record.value));
    this.timestamps.push(record.timestamp);
    this.partitions.push(record.partition ?? NONE);
    this.headers.push(record.headers);
  }

  /** The record at `index` (0 = the oldest), rebuilt; its key and value are views, never to be written. */
  record(index: number): ProducedRecord {
    const partition = this.partitions[index]!;
    return {
      topic: this.topic,
      partition: partition === NONE ? undefined : partition,
      key: this.view(this.keyAt[index]!, this.keyLength[index]!),
      value: this.view(this.valueAt[index]!, this.valueLength[index]!),
      timestamp: this.timestamps[index]!,
      headers: this.headers[index]!,
    };
  }

  /** Every record, oldest first, rebuilt. */
  records(): ProducedRecord[] {
    const all: ProducedRecord[] = [];
    for (let i = 0; i < this.size; i++) all.push(this.record(i));
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
