import type { LogRecord, StoredRecord } from '../record/index.ts';

/** A record to write; without `partition` the cluster's default partitioner (Kafka's murmur2) picks one. */
export interface ClusterRecord extends LogRecord {
  readonly partition?: number;
}

/** A topic the runtime needs, with its partition count and topic configs. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly config: Readonly<{ [key: string]: string }>;
}

/** A committed position of a consumer group. */
export interface CommittedPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * What the streams runtime needs from a broker: topic metadata and creation, produce, fetch and
 * consumer-group offsets. The embedded log engine implements it in-process; a Kafka-protocol
 * cluster implements the same interface over the network.
 */
export interface Cluster {
  /** The `kstreams` command-line arguments that reach this cluster (`--data-dir …` or `--bootstrap-server …`), for messages that tell a user what to run. */
  readonly commandLineTarget: string;
  /** Partition count of `topic`, or undefined when it does not exist. */
  partitionCount(topic: string): Promise<number | undefined>;
  /** Creates the topics that do not exist yet (existing ones are left as they are). */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** Appends records; resolves once they are durable by the cluster's standard. */
  produce(topic: string, records: readonly ClusterRecord[]): Promise<void>;
  /** Records from `offset`, about `maxBytes` worth; empty at the end of the partition. */
  fetch(topic: string, partition: number, offset: number, maxBytes: number): Promise<StoredRecord[]>;
  /** `earliest` is the first offset still stored; `latest` the offset the next record will get. */
  offsets(topic: string, partition: number): Promise<{ earliest: number; latest: number }>;
  /** Deletes the partition's records before `beforeOffset` (Kafka's DeleteRecords): how repartition topics are purged. */
  deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void>;
  commitOffsets(group: string, positions: readonly CommittedPosition[]): Promise<void>;
  committedOffsets(group: string): Promise<CommittedPosition[]>;
  close(): Promise<void>;
}
