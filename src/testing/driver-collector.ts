import type { ProducedRecord, RecordCollector } from '../runtime/index.ts';
import type { ProducedRecords } from './test-output-topic.ts';

/**
 * The test driver's collector: every topic has the driver's partition count, and every record produced is kept
 * (per topic, in order): all of them for restarts and `producedRecords`, and a read position per
 * topic that output topics share, so a record read once is consumed. Records produced to a topic
 * the topology also reads (a repartition topic) are handed to `onProduced` so the driver processes
 * them next.
 */
export class DriverCollector implements RecordCollector, ProducedRecords {
  private readonly byTopic = new Map<string, ProducedRecord[]>();
  /** Per topic, how many of its records output topics have read (always the oldest ones). */
  private readonly readCount = new Map<string, number>();

  constructor(
    private readonly sinkTopics: ReadonlySet<string>,
    private readonly partitions: number,
    private readonly onProduced: (record: ProducedRecord) => void,
  ) {}

  send(record: ProducedRecord): void {
    let records = this.byTopic.get(record.topic);
    if (records === undefined) {
      records = [];
      this.byTopic.set(record.topic, records);
    }
    records.push(record);
    this.onProduced(record);
  }

  /** Starts `topic` with records an earlier run left there (a restarted driver's changelogs). */
  preload(topic: string, records: readonly ProducedRecord[]): void {
    this.byTopic.set(topic, [...records, ...(this.byTopic.get(topic) ?? [])]);
  }

  partitionsFor(): number {
    return this.partitions;
  }

  flush(): void {
    // Records are visible to output topics as soon as they are sent.
  }

  /** Every record produced to `topic` so far, read or not, or undefined when nothing was. */
  producedTo(topic: string): readonly ProducedRecord[] | undefined {
    return this.byTopic.get(topic);
  }

  takeUnread(topic: string): ProducedRecord | undefined {
    const read = this.readCount.get(topic) ?? 0;
    const next = this.byTopic.get(topic)?.[read];
    if (next !== undefined) this.readCount.set(topic, read + 1);
    return next;
  }

  unreadCount(topic: string): number {
    return (this.byTopic.get(topic)?.length ?? 0) - (this.readCount.get(topic) ?? 0);
  }

  isKnownTopic(topic: string): boolean {
    return this.sinkTopics.has(topic) || this.byTopic.has(topic);
  }

  /** Topics with at least one produced record, changelog and repartition topics included. */
  topicNames(): Set<string> {
    return new Set(this.byTopic.keys());
  }
}
