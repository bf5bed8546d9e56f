import type { ProducedRecord, RecordCollector } from '../runtime/index.ts';
import { ProducedLog } from './produced-log.ts';
import type { ProducedRecords, UnreadVisitor } from './test-output-topic.ts';

/**
 * The test driver's collector: every topic has the driver's partition count, and every record produced is kept
 * (per topic, in order, compactly: see ProducedLog): all of them for restarts and `producedRecords`, and a read position per
 * topic that output topics share, so a record read once is consumed. Records produced to a topic
 * the topology also reads (a repartition topic) are handed to `onProduced` so the driver processes
 * them next.
 */
export class DriverCollector implements RecordCollector, ProducedRecords {
  private readonly byTopic = new Map<string, ProducedLog>();
  /** Per topic, how many of its records output topics have read (always the oldest ones). */
  private readonly readCount = new Map<string, number>();

  constructor(
    private readonly sinkTopics: ReadonlySet<string>,
    private readonly partitions: number,
    private readonly onProduced: (record: ProducedRecord) => void,
  ) {}

  send(record: ProducedRecord): void {
    this.logOf(record.topic).append(record);
    this.onProduced(record);
  }

  /** Starts `topic` with records an earlier run left there (a restarted driver's changelogs). */
  preload(topic: string, records: readonly ProducedRecord[]): void {
    const log = new ProducedLog(topic);
    for (const record of records) log.append(record);
    for (const record of this.byTopic.get(topic)?.records() ?? []) log.append(record);
    this.byTopic.set(topic, log);
  }

  partitionsFor(): number {
    return this.partitions;
  }

  flush(): void {
    // Records are visible to output topics as soon as they are sent.
  }

  /** Every record produced to `topic` so far, read or not, or undefined when nothing was. */
  producedTo(topic: string): readonly ProducedRecord[] | undefined {
    return this.byTopic.get(topic)?.records();
  }

  takeUnread(topic: string): ProducedRecord | undefined {
    const log = this.byTopic.get(topic);
    const read = this.readCount.get(topic) ?? 0;
    if (log === undefined || read >= log.size) return undefined;
    this.readCount.set(topic, read + 1);
    return log.record(read);
  }

  takeEachUnread(topic: string, visit: UnreadVisitor): void {
    const log = this.byTopic.get(topic);
    if (log === undefined) return;
    let read = this.readCount.get(topic) ?? 0;
    try {
      while (read < log.size) log.visit(read++, visit);
    } finally {
      this.readCount.set(topic, read);
    }
  }

  unreadCount(topic: string): number {
    return (this.byTopic.get(topic)?.size ?? 0) - (this.readCount.get(topic) ?? 0);
  }

  isKnownTopic(topic: string): boolean {
    return this.sinkTopics.has(topic) || this.byTopic.has(topic);
  }

  private logOf(topic: string): ProducedLog {
    let log = this.byTopic.get(topic);
    if (log === undefined) {
      log = new ProducedLog(topic);
      this.byTopic.set(topic, log);
    }
    return log;
  }

  /** Topics with at least one produced record, changelog and repartition topics included. */
  topicNames(): Set<string> {
    return new Set(this.byTopic.keys());
  }
}
