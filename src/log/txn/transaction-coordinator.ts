/**
 * The transaction coordinator: Kafka's InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn,
 * TxnOffsetCommit and EndTxn over the engine's partitions, with its state in a `TransactionLog`.
 *
 * - `initProducerId(id)` gives a transactional id the same producer id with the next epoch; an open
 *   transaction of the older epoch is aborted first (markers carry the new epoch), and calls with
 *   the older epoch fail with PRODUCER_FENCED from then on.
 * - The first partition or group added opens a transaction (state Ongoing, start time now).
 * - `endTxn` moves to PrepareCommit / PrepareAbort (durable), writes a marker to every partition
 *   holding the transaction's data, applies the pending group offsets on commit, then moves to
 *   CompleteCommit / CompleteAbort. A crash in between is finished by `recover()` on open.
 * - `abortTimedOut()` aborts transactions open longer than their timeout, bumping the epoch so the
 *   producer's later calls fail with TRANSACTION_TIMED_OUT (it must initialize again).
 *
 * @example
 * const coordinator = new TransactionCoordinator(new TransactionLog(dir), participants, clock, 900_000);
 * const producer = { transactionalId: 'app-0', ...coordinator.initProducerId('app-0') };
 * coordinator.addPartitions(producer, [{ topic: 'out', partition: 0 }]);
 * coordinator.endTxn(producer, true);
 */
import { StreamsError, type Clock } from '../../common/index.ts';
import type { TopicPartitionOffset } from '../group-offsets.ts';
import type { MarkerSpec } from './control-record.ts';
import type { StoredTransaction, TransactionLog } from './transaction-log.ts';
import type { ProducerIdentity, TopicPartition, TransactionDescription, TransactionState, TransactionalProducer } from './types.ts';

/** Kafka's default transaction.timeout.ms of a producer. */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
/** Kafka's default transaction.max.timeout.ms of a broker. */
export const DEFAULT_TRANSACTION_MAX_TIMEOUT_MS = 900_000;
const MAX_EPOCH = 32_766;

/** What the coordinator needs from the partitions and groups it coordinates. */
export interface TransactionParticipants {
  /** Throws UNKNOWN_TOPIC / PARTITION_OUT_OF_RANGE when the partition does not exist. */
  checkPartition(partition: TopicPartition): void;
  /** Writes a marker to the partition when the producer has open transactional data there; a deleted topic is skipped. */
  writeMarker(partition: TopicPartition, marker: MarkerSpec): void;
  /** Makes offsets a group's committed offsets. */
  commitOffsets(group: string, offsets: readonly TopicPartitionOffset[]): void;
  /** Every partition with open transactional data, and whose. */
  openTransactions(): Array<{ partition: TopicPartition; producerId: number; producerEpoch: number }>;
}

/** Transactions of every transactional id of one engine. */
export class TransactionCoordinator {
  /** producerId → transactional id, for checking transactional data batches. */
  private readonly byProducerId = new Map<number, string>();

  constructor(
    private readonly store: TransactionLog,
    private readonly participants: TransactionParticipants,
    private readonly clock: Clock,
    private readonly maxTimeoutMs: number,
  ) {
    for (const txn of store.all()) {
      this.byProducerId.set(txn.producerId, txn.transactionalId);
      if (!Number.isFinite(txn.lastUpdateMs)) txn.lastUpdateMs = clock.nowMs();
    }
  }

  /** See `LogEngine.initProducerId`. */
  initProducerId(transactionalId: string | null, timeoutMs = DEFAULT_TRANSACTION_TIMEOUT_MS): ProducerIdentity {
    if (transactionalId === null) return { producerId: this.store.allocateProducerId(), producerEpoch: 0 };
    if (transactionalId === '') throw new StreamsError('INVALID_ARGUMENT', 'a transactional id must not be empty; pass null for an idempotent producer without transactions');
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
      throw new StreamsError('INVALID_ARGUMENT', `transaction timeout ${timeoutMs} for "${transactionalId}" must be a whole number of ms >= 1`);
    }
    const timeout = Math.min(timeoutMs, this.maxTimeoutMs);
    const existing = this.store.get(transactionalId);
    if (existing === undefined) {
      const txn: StoredTransaction = {
        transactionalId, producerId: this.store.allocateProducerId(), producerEpoch: 0, state: 'Empty', timeoutMs: timeout,
        startTimeMs: -1, timedOutEpoch: -1, partitions: [], pendingOffsets: [], lastUpdateMs: this.clock.nowMs(),
      };
      this.byProducerId.set(txn.producerId, transactionalId);
      this.save(txn);
      return { producerId: txn.producerId, producerEpoch: 0 };
    }
    if (existing.state === 'Ongoing') {
      // Fence the older epoch: abort its transaction with markers of the new epoch.
      this.complete(existing, false, this.bumpEpoch(existing));
    } else {
      this.bumpEpoch(existing);
    }
    existing.timeoutMs = timeout;
    existing.timedOutEpoch = -1;
    this.save(existing);
    return { producerId: existing.producerId, producerEpoch: existing.producerEpoch };
  }

  /**
   * Moves the transactional id to its next epoch; returns the identity markers that fence the
   * older epoch carry: the old producer id with the next epoch (even when the epoch space is used
   * up and the id moves to a new producer id at epoch 0, as Kafka does).
   */
  private bumpEpoch(txn: StoredTransaction): ProducerIdentity {
    const fence = { producerId: txn.producerId, producerEpoch: txn.producerEpoch + 1 };
    if (txn.producerEpoch < MAX_EPOCH) {
      txn.producerEpoch++;
      return fence;
    }
    txn.producerId = this.store.allocateProducerId();
    txn.producerEpoch = 0;
    this.byProducerId.set(txn.producerId, txn.transactionalId);
    return fence;
  }

  /** See `LogEngine.addPartitionsToTxn`. */
  addPartitions(producer: TransactionalProducer, partitions: readonly TopicPartition[]): void {
    for (const partition of partitions) this.participants.checkPartition(partition);
    const txn = this.openFor(producer);
    const added = partitions.filter((p) => !txn.partitions.some((q) => q.topic === p.topic && q.partition === p.partition));
    if (added.length === 0 && txn.state === 'Ongoing') return;
    this.begin(txn);
    txn.partitions.push(...added.map((p) => ({ topic: p.topic, partition: p.partition })));
    this.save(txn);
  }

  /** See `LogEngine.txnOffsetCommit`; `offsets` empty only registers the group (AddOffsetsToTxn). */
  txnOffsetCommit(producer: TransactionalProducer, group: string, offsets: readonly TopicPartitionOffset[]): void {
    if (group === '') throw new StreamsError('INVALID_ARGUMENT', `transaction of "${producer.transactionalId}": the group id must not be empty`);
    for (const entry of offsets) this.participants.checkPartition(entry);
    const txn = this.openFor(producer);
    this.begin(txn);
    let pending = txn.pendingOffsets.find((p) => p.group === group);
    if (pending === undefined) txn.pendingOffsets.push((pending = { group, offsets: [] }));
    for (const entry of offsets) {
      pending.offsets = pending.offsets.filter((o) => o.topic !== entry.topic || o.partition !== entry.partition);
      pending.offsets.push({ topic: entry.topic, partition: entry.partition, offset: entry.offset, ...(entry.metadata === undefined ? {} : { metadata: entry.metadata }) });
    }
    this.save(txn);
  }

  /** See `LogEngine.endTxn`. */
  endTxn(producer: TransactionalProducer, commit: boolean): void {
    const txn = this.current(producer);
    if (txn.state === 'Ongoing') return this.complete(txn, commit);
    // A retried EndTxn whose first try completed, or an abort with nothing open: nothing to do.
    if ((txn.state === 'CompleteCommit' && commit) || (txn.state === 'CompleteAbort' && !commit) || (txn.state === 'Empty' && !commit)) return;
    throw new StreamsError(
      'INVALID_TXN_STATE',
      `transactional id "${producer.transactionalId}" cannot ${commit ? 'commit' : 'abort'}: its transaction is ${txn.state}${txn.state === 'Empty' ? ' (nothing was added to it)' : ''}`,
    );
  }

  /**
   * Checks that a transactional data batch of `producerId`/`producerEpoch` may go to `partition`:
   * the producer's current epoch, with the partition added to its open transaction.
   * @throws StreamsError INVALID_TXN_STATE, PRODUCER_FENCED, TRANSACTION_TIMED_OUT or UNKNOWN_PRODUCER_ID
   */
  checkWrite(producerId: number, producerEpoch: number, partition: TopicPartition): void {
    const transactionalId = this.byProducerId.get(producerId);
    if (transactionalId === undefined) {
      throw new StreamsError('UNKNOWN_PRODUCER_ID', `a transactional batch for ${partition.topic}-${partition.partition} has producer id ${producerId}, which no transactional id holds; initialize the producer (InitProducerId) first`);
    }
    const txn = this.current({ transactionalId, producerId, producerEpoch });
    if (txn.state !== 'Ongoing' || !txn.partitions.some((p) => p.topic === partition.topic && p.partition === partition.partition)) {
      throw new StreamsError(
        'INVALID_TXN_STATE',
        `transactional id "${transactionalId}" wrote to ${partition.topic}-${partition.partition} without adding it to its transaction (state ${txn.state}); add the partition first (AddPartitionsToTxn)`,
        { location: partition },
      );
    }
  }

  /**
   * Finishes what a crash interrupted: transactions in PrepareCommit / PrepareAbort get their
   * markers and offsets, and open transactional data no open transaction accounts for gets the
   * marker its transaction's outcome calls for (the transaction completed, but a marker did not
   * reach the disk): COMMIT when the producer's last transaction committed, else ABORT.
   */
  recover(): void {
    for (const txn of this.store.all()) {
      if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') this.complete(txn, txn.state === 'PrepareCommit');
    }
    for (const open of this.participants.openTransactions()) {
      const transactionalId = this.byProducerId.get(open.producerId);
      const txn = transactionalId === undefined ? undefined : this.store.get(transactionalId);
      const accounted = txn !== undefined && txn.producerId === open.producerId && txn.state === 'Ongoing' &&
        txn.partitions.some((p) => p.topic === open.partition.topic && p.partition === open.partition.partition);
      if (!accounted) {
        const commit = txn !== undefined && txn.producerId === open.producerId && txn.state === 'CompleteCommit';
        this.participants.writeMarker(open.partition, { commit, producerId: open.producerId, producerEpoch: open.producerEpoch, coordinatorEpoch: 0, timestamp: this.clock.nowMs() });
      }
    }
  }

  /** Aborts every transaction open longer than its timeout; returns how many. */
  abortTimedOut(): number {
    const now = this.clock.nowMs();
    let aborted = 0;
    for (const txn of this.store.all()) {
      if (txn.state !== 'Ongoing' || now - txn.startTimeMs < txn.timeoutMs) continue;
      const before = { producerId: txn.producerId, producerEpoch: txn.producerEpoch };
      const fence = this.bumpEpoch(txn);
      txn.timedOutEpoch = txn.producerId === before.producerId ? before.producerEpoch : -1;
      this.complete(txn, false, fence);
      aborted++;
    }
    return aborted;
  }

  /**
   * Forgets transactional ids with no open transaction whose state has not changed for
   * `expirationMs` (Kafka's transactional.id.expiration.ms); returns how many. A producer that
   * comes back with such an id must initialize again (UNKNOWN_PRODUCER_ID until it does).
   */
  expireTransactionalIds(expirationMs: number): number {
    const now = this.clock.nowMs();
    let expired = 0;
    for (const txn of this.store.all()) {
      const idle = txn.state === 'Empty' || txn.state === 'CompleteCommit' || txn.state === 'CompleteAbort';
      if (!idle || now - txn.lastUpdateMs < expirationMs) continue;
      this.store.delete(txn.transactionalId);
      for (const [producerId, id] of this.byProducerId) if (id === txn.transactionalId) this.byProducerId.delete(producerId);
      expired++;
    }
    return expired;
  }

  /**
   * The partitions of `group` whose offsets an open transaction holds: they become the group's
   * committed offsets only if it commits, so a reader asking for stable offsets must wait.
   */
  pendingOffsetPartitions(group: string): TopicPartition[] {
    return this.store.all()
      .filter((txn) => txn.state === 'Ongoing')
      .flatMap((txn) => txn.pendingOffsets.filter((p) => p.group === group).flatMap((p) => p.offsets.map(({ topic, partition }) => ({ topic, partition }))));
  }

  /** Descriptions of the given transactional ids; an unknown id is reported as state Dead with producer id -1. */
  describe(ids: readonly string[]): TransactionDescription[] {
    return ids.map((id) => {
      const txn = this.store.get(id);
      return txn === undefined
        ? { transactionalId: id, producerId: -1, producerEpoch: -1, state: 'Dead', timeoutMs: 0, startTimeMs: -1, partitions: [] }
        : describe(txn);
    });
  }

  /** Every transactional id, filtered by state and producer id when asked. */
  list(filter: { states?: readonly TransactionState[]; producerIds?: readonly number[] } = {}): TransactionDescription[] {
    return this.store.all()
      .filter((txn) => (filter.states === undefined || filter.states.length === 0 || filter.states.includes(txn.state)) &&
        (filter.producerIds === undefined || filter.producerIds.length === 0 || filter.producerIds.includes(txn.producerId)))
      .map(describe);
  }

  /** The transactional id's state, after checking the caller is its current producer. */
  private current(producer: TransactionalProducer): StoredTransaction {
    const txn = this.store.get(producer.transactionalId);
    const who = `transactional id "${producer.transactionalId}"`;
    const olderIdOfThis = this.byProducerId.get(producer.producerId) === producer.transactionalId;
    if (txn === undefined || (txn.producerId !== producer.producerId && !olderIdOfThis)) {
      throw new StreamsError('UNKNOWN_PRODUCER_ID', `${who} does not hold producer id ${producer.producerId}; initialize the producer (InitProducerId) first`);
    }
    if (txn.producerId === producer.producerId && txn.timedOutEpoch >= 0 && producer.producerEpoch === txn.timedOutEpoch) {
      throw new StreamsError('TRANSACTION_TIMED_OUT', `${who}: its transaction was open longer than ${txn.timeoutMs} ms and was aborted; initialize the producer again`);
    }
    if (txn.producerId !== producer.producerId || producer.producerEpoch < txn.producerEpoch) {
      throw new StreamsError('PRODUCER_FENCED', `${who}: epoch ${producer.producerEpoch} was fenced by epoch ${txn.producerEpoch} (a newer producer with this id); close this producer`);
    }
    if (producer.producerEpoch > txn.producerEpoch) {
      throw new StreamsError('INVALID_PRODUCER_EPOCH', `${who}: epoch ${producer.producerEpoch} was never handed out (the current one is ${txn.producerEpoch})`);
    }
    return txn;
  }

  /** `current`, and not between the two halves of an EndTxn. */
  private openFor(producer: TransactionalProducer): StoredTransaction {
    const txn = this.current(producer);
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort' || txn.state === 'PrepareEpochFence') {
      throw new StreamsError('CONCURRENT_TRANSACTIONS', `transactional id "${producer.transactionalId}" is still completing its last transaction (${txn.state}); retry`);
    }
    return txn;
  }

  private begin(txn: StoredTransaction): void {
    if (txn.state === 'Ongoing') return;
    txn.state = 'Ongoing';
    txn.startTimeMs = this.clock.nowMs();
    txn.partitions = [];
    txn.pendingOffsets = [];
  }

  private save(txn: StoredTransaction): void {
    txn.lastUpdateMs = this.clock.nowMs();
    this.store.put(txn);
  }

  /** Prepare (durable), markers (as `marker`, by default the current producer) and offsets, complete (durable). */
  private complete(txn: StoredTransaction, commit: boolean, marker: ProducerIdentity = txn): void {
    txn.state = commit ? 'PrepareCommit' : 'PrepareAbort';
    this.save(txn);
    const timestamp = this.clock.nowMs();
    for (const partition of txn.partitions) {
      this.participants.writeMarker(partition, { commit, producerId: marker.producerId, producerEpoch: marker.producerEpoch, coordinatorEpoch: 0, timestamp });
    }
    if (commit) for (const { group, offsets } of txn.pendingOffsets) if (offsets.length > 0) this.participants.commitOffsets(group, offsets);
    txn.state = commit ? 'CompleteCommit' : 'CompleteAbort';
    txn.startTimeMs = -1;
    txn.partitions = [];
    txn.pendingOffsets = [];
    this.save(txn);
  }
}

function describe(txn: StoredTransaction): TransactionDescription {
  return {
    transactionalId: txn.transactionalId, producerId: txn.producerId, producerEpoch: txn.producerEpoch, state: txn.state,
    timeoutMs: txn.timeoutMs, startTimeMs: txn.startTimeMs, partitions: txn.partitions.map((p) => ({ topic: p.topic, partition: p.partition })),
  };
}
