import type { Cluster, ClusterRecord } from '../client/index.ts';
import type { ProducedRecord, RecordCollector } from './task/record-collector.ts';

/**
 * Collects what tasks produce (sink output and changelog writes) and sends it to the cluster once
 * per loop iteration and at every commit: one produce call per topic, records in the order sent.
 */
export class ClusterCollector implements RecordCollector {
  private buffered = new Map<string, ClusterRecord[]>();
  private count = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly partitionCounts: Map<string, number>,
  ) {}

  send(record: ProducedRecord): void {
    let list = this.buffered.get(record.topic);
    if (list === undefined) this.buffered.set(record.topic, (list = []));
    list.push(record.partition === undefined
      ? { key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers }
      : { key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers, partition: record.partition });
    this.count++;
  }

  partitionsFor(topic: string): number {
    return this.partitionCounts.get(topic) ?? 1;
  }

  /** Records waiting to be sent. */
  get pending(): number {
    return this.count;
  }

  async flush(): Promise<void> {
    if (this.count === 0) return;
    const batches = this.buffered;
    this.buffered = new Map();
    this.count = 0;
    for (const [topic, records] of batches) await this.cluster.produce(topic, records);
  }
}
