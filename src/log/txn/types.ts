/** Which records a read may return: all of them, or only those of committed transactions (and non-transactional ones). */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

/** A producer id and the epoch it writes with (Kafka's InitProducerId answer). */
export interface ProducerIdentity {
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** A producer that writes inside transactions, under its transactional id. */
export interface TransactionalProducer extends ProducerIdentity {
  readonly transactionalId: string;
}

/** An aborted transaction in a partition, as a Fetch response lists it: its producer and its first offset there. */
export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

/** Kafka's transaction states, as DescribeTransactions and ListTransactions report them. */
export type TransactionState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'Dead' | 'PrepareEpochFence';

/** A partition of a transaction. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What the coordinator knows about a transactional id. */
export interface TransactionDescription {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly state: TransactionState;
  readonly timeoutMs: number;
  /** When the open transaction began (its first added partition or group); -1 when none is open. */
  readonly startTimeMs: number;
  readonly partitions: readonly TopicPartition[];
}
