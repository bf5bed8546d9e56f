/**
 * The Cluster of a stream thread in a worker on a Kafka-protocol cluster: records travel over the
 * worker's own connections (fetch, produce, offsets — as each Kafka Streams thread owns its
 * consumer and producer), while what belongs to the group member goes through the main thread:
 * committed offsets, transactional producers (whose commits carry the group's offsets), topic
 * creation and purging.
 *
 * @example
 * const cluster = new SplitCluster(await KafkaCluster.connect({ ... }), new PortCluster(rpc, target));
 */
import type { Cluster, ClusterRecord, CommittedPosition, FetchedPage, IsolationLevel, TopicPartitionRef, TopicSpec, TransactionalSender } from '../../client/index.ts';

export class SplitCluster implements Cluster {
  constructor(private readonly own: Cluster, private readonly member: Cluster) {}

  get commandLineTarget(): string {
    return this.own.commandLineTarget;
  }

  partitionCount(topic: string): Promise<number | undefined> {
    return this.own.partitionCount(topic);
  }

  ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    return this.member.ensureTopics(specs);
  }

  produce(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    return this.own.produce(topic, records);
  }

  fetch(topic: string, partition: number, offset: number, maxBytes: number, isolationLevel?: IsolationLevel): Promise<FetchedPage> {
    return this.own.fetch(topic, partition, offset, maxBytes, isolationLevel);
  }

  offsets(topic: string, partition: number, isolationLevel?: IsolationLevel): Promise<{ earliest: number; latest: number }> {
    return this.own.offsets(topic, partition, isolationLevel);
  }

  transactionalSender(transactionalId: string): Promise<TransactionalSender> {
    return this.member.transactionalSender(transactionalId);
  }

  deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void> {
    return this.member.deleteRecords(topic, partition, beforeOffset);
  }

  commitOffsets(group: string, positions: readonly CommittedPosition[]): Promise<void> {
    return this.member.commitOffsets(group, positions);
  }

  committedOffsets(group: string, isolationLevel?: IsolationLevel, partitions?: readonly TopicPartitionRef[]): Promise<CommittedPosition[]> {
    return this.member.committedOffsets(group, isolationLevel, partitions);
  }

  /** Closes the worker's own connections (the member's belong to the main thread). */
  close(): Promise<void> {
    return this.own.close();
  }
}
