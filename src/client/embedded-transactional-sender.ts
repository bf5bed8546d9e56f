import type { LogEngine, TransactionalProducer } from '../log/index.ts';
import type { ClusterRecord, CommittedPosition, TransactionalSender } from './cluster.ts';

const TRANSACTION_TIMEOUT_MS = 10_000;

/**
 * A stream thread's transactional producer on the in-process log engine: the same steps as on a
 * Kafka cluster (InitProducerId, partitions added as records are written, the group's offsets
 * added, EndTxn), as engine calls. The engine answers a fenced producer with PRODUCER_FENCED and
 * one whose transaction outlived its timeout with TRANSACTION_TIMED_OUT.
 *
 * @example
 * const sender = await EmbeddedTransactionalSender.open(engine, 'orders-app-3f1c…-1');
 */
export class EmbeddedTransactionalSender implements TransactionalSender {
  /** True from the first write of a transaction until its end. */
  private open = false;

  private constructor(
    private readonly engine: LogEngine,
    private readonly producer: TransactionalProducer,
  ) {}

  /**
   * Initialises the transactional id's producer: older epochs are fenced, their open transaction
   * aborted. Its transactions time out after 10 s, Kafka Streams' `transaction.timeout.ms` under
   * exactly-once: how long a crashed instance that never restarts can hold back read_committed readers.
   */
  static async open(engine: LogEngine, transactionalId: string): Promise<EmbeddedTransactionalSender> {
    return new EmbeddedTransactionalSender(engine, { transactionalId, ...(await engine.initProducerId(transactionalId, { transactionTimeoutMs: TRANSACTION_TIMEOUT_MS })) });
  }

  get transactionalId(): string {
    return this.producer.transactionalId;
  }

  async produce(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.open = true;
    await this.engine.produceRanges(topic, records, { producer: this.producer, addPartitions: true });
  }

  async commit(group: string, positions: readonly CommittedPosition[]): Promise<void> {
    if (!this.open && positions.length === 0) return;
    this.open = true;
    // TxnOffsetCommit adds the group to the transaction itself (the engine's AddOffsetsToTxn is the
    // same call without offsets): one durable coordinator write fewer per commit.
    if (positions.length > 0) await this.engine.txnOffsetCommit(this.producer, group, positions);
    await this.engine.endTxn(this.producer, true);
    this.open = false;
  }

  async abort(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.engine.endTxn(this.producer, false);
  }

  async close(): Promise<void> {
    await this.abort();
  }
}
