import type { ProducedRecord, RecordCollector } from '../runtime/index.ts';
import type { ProducedRecords } from './test-output-topic.ts';

/**
 * The test driver's collector: every topic has the driver's partition count, and every record produced is kept
 * (per topic, in order) for output topics to read. Records produced to a topic the topology also
 * reads (a repartition topic) are handed to `onFeedback` so the driver processes them next.
 */
export class DriverCollector implements RecordCollector, ProducedRecords {
  private readonly byTopic = new Map<string, ProducedRecord[]>();

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

  producedTo(topic: string): readonly ProducedRecord[] | undefined {
    return this.byTopic.get(topic);
  }

  isSinkTopic(topic: string): boolean {
    return this.sinkTopics.has(topic);
  }

  /** Topics with at least one produced record, changelog and repartition topics included. */
  topicNames(): Set<string> {
    return new Set(this.byTopic.keys());
  }
}
