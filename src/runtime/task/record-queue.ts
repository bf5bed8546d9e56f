import type { ConsumedRecord } from './consumed-record.ts';
import type { SourceRuntimeNode } from './source-runtime-node.ts';
import type { StampedRecord } from './stamped-record.ts';

/** Stream time and partition time before any record was seen (Kafka's `RecordQueue.UNKNOWN`). */
export const UNKNOWN_TIME = -1;

/**
 * The buffered records of one input partition of a task. Records stay bytes until they reach the
 * head, which is deserialized once (its timestamp decides which partition goes next).
 */
export class RecordQueue {
  private buffered: ConsumedRecord[] = [];
  /** Index of the first unread record in `buffered`; the array is compacted when half is read. */
  private start = 0;
  private stampedHead: StampedRecord | undefined;
  /** Highest timestamp taken from this partition. */
  partitionTimeMs = UNKNOWN_TIME;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly source: SourceRuntimeNode,
  ) {}

  add(records: readonly ConsumedRecord[]): void {
    for (const record of records) this.buffered.push(record);
  }

  /** Buffers one record after those buffered (no array per record for callers feeding one at a time). */
  addOne(record: ConsumedRecord): void {
    this.buffered.push(record);
  }

  /** The next record, deserialized, or undefined when the queue is empty; records the task drops are passed over. */
  head(): StampedRecord | undefined {
    while (this.stampedHead === undefined && this.start < this.buffered.length) {
      const raw = this.buffered[this.start]!;
      this.stampedHead = this.source.stamp(this.topic, this.partition, raw, this.partitionTimeMs);
      if (this.stampedHead === undefined) this.start++;
    }
    return this.stampedHead;
  }

  /** Removes and returns the head; call only after `head()` returned a record. */
  poll(): StampedRecord {
    const head = this.head()!;
    this.stampedHead = undefined;
    this.start++;
    if (this.start === this.buffered.length) {
      this.buffered = [];
      this.start = 0;
    } else if (this.start > 1024 && this.start * 2 > this.buffered.length) {
      this.buffered = this.buffered.slice(this.start);
      this.start = 0;
    }
    if (head.record.timestamp > this.partitionTimeMs) this.partitionTimeMs = head.record.timestamp;
    return head;
  }

  /** Calls `visit` with the key bytes of every buffered record not yet processed. */
  forEachBufferedKey(visit: (key: Buffer) => void): void {
    for (let i = this.start; i < this.buffered.length; i++) {
      const key = this.buffered[i]!.key;
      if (key !== null) visit(key);
    }
  }

  size(): number {
    return this.buffered.length - this.start;
  }
}
