import type { IsolationLevel } from '../log/index.ts';
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

/** Records read from a partition, and the offset to read from next: past transaction markers and aborted batches, which are never returned. */
export interface FetchedPage {
  readonly records: StoredRecord[];
  readonly nextOffset: number;
}

/** A committed position of a consumer group. */
export interface CommittedPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** A partition of a topic, as offsets are asked for. */
export type TopicPartitionRef = Pick<CommittedPosition, 'topic' | 'partition'>;

/** Which records a read returns: `read_committed` leaves out open and aborted transactions' records. */
export type { IsolationLevel };

/**
 * One stream thread's transactional producer under `exactly_once_v2` (Kafka's EOS v2): everything a
 * commit interval produces — sink output, changelog writes — and the input offsets it consumed
 * become visible together, or not at all. Opening it (Kafka's InitProducerId) fences every older
 * producer of the same transactional id and aborts the transaction such a producer left open.
 *
 * @example
 * const sender = await cluster.transactionalSender('orders-app-3f1c…-1');
 * await sender.produce('totals', records);         // opens a transaction
 * await sender.commit('orders-app', positions);    // offsets + outputs, atomically
 */
export interface TransactionalSender {
  readonly transactionalId: string;
  /** Writes records inside the open transaction, opening one when none is. */
  produce(topic: string, records: readonly ClusterRecord[]): Promise<void>;
  /**
   * Adds the group's input positions to the open transaction (Kafka's sendOffsetsToTransaction)
   * and commits it. Rejects with PRODUCER_FENCED when a newer producer of the transactional id, or a
   * newer generation of the group, has taken over: the transaction is then aborted.
   */
  commit(group: string, positions: readonly CommittedPosition[]): Promise<void>;
  /** Aborts the open transaction, if any: nothing it wrote becomes visible to read_committed readers. */
  abort(): Promise<void>;
  close(): Promise<void>;
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
  /**
   * Records from `offset`, about `maxBytes` worth; none at the end of the partition. Transaction
   * markers are never returned; `read_committed` stops at the last stable offset and leaves out
   * records of aborted transactions. Read on from `nextOffset`.
   */
  fetch(topic: string, partition: number, offset: number, maxBytes: number, isolationLevel?: IsolationLevel): Promise<FetchedPage>;
  /**
   * `earliest` is the first offset still stored; `latest` the offset the next record will get
   * (`read_committed`: the last stable offset, before the first record of a transaction still open).
   */
  offsets(topic: string, partition: number, isolationLevel?: IsolationLevel): Promise<{ earliest: number; latest: number }>;
  /** Opens the transactional producer of `transactionalId`, fencing older ones (see TransactionalSender). */
  transactionalSender(transactionalId: string): Promise<TransactionalSender>;
  /** Deletes the partition's records before `beforeOffset` (Kafka's DeleteRecords): how repartition topics are purged. */
  deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void>;
  commitOffsets(group: string, positions: readonly CommittedPosition[]): Promise<void>;
  /**
   * The group's committed offsets of `partitions` (every partition it has an offset for when
   * omitted). `read_committed` waits until no open transaction holds one of them (Kafka's
   * `require_stable`, as its consumer asks under read_committed): a transaction's offsets become
   * visible only when its markers are written, after the commit has returned. Name the partitions
   * to wait for: Kafka's answer for a whole group lists only partitions that already had an offset,
   * so a partition whose first offset a transaction still holds would be missing, not waited for.
   */
  committedOffsets(group: string, isolationLevel?: IsolationLevel, partitions?: readonly TopicPartitionRef[]): Promise<CommittedPosition[]>;
  close(): Promise<void>;
}
