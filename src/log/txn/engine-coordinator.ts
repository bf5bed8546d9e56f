/**
 * Starting a log engine's transaction coordinator: its state file, what it may do to the
 * engine's partitions and groups, the recovery of what a crash interrupted, and the timer that
 * aborts transactions open longer than their timeout and forgets long-idle transactional ids.
 *
 * @example
 * const { coordinator, stop } = startCoordinator({ dataDir, clock, maxTimeoutMs: 900_000, abortCheckIntervalMs: 10_000, partitions, commitOffsets });
 */
import { getLogger, type Clock } from '../../common/index.ts';
import type { TopicPartitionOffset } from '../group-offsets.ts';
import type { PartitionLog } from '../partition-log.ts';
import { TransactionCoordinator, type TransactionParticipants } from './transaction-coordinator.ts';
import { TransactionLog } from './transaction-log.ts';
import type { TopicPartition } from './types.ts';

const log = getLogger('log');

/** What the coordinator is given of an engine. */
export interface CoordinatorHost {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly maxTimeoutMs: number;
  /** 0: no timer (timeouts are checked on open and when asked). */
  readonly abortCheckIntervalMs: number;
  /** Idle transactional ids are forgotten after this long (checked with the timeouts). */
  readonly transactionalIdExpirationMs: number;
  /** The partition, or undefined when its topic was deleted. */
  findPartition(partition: TopicPartition): PartitionLog | undefined;
  /** Throws the engine's coded error for a partition that does not exist. */
  checkPartition(partition: TopicPartition): void;
  /** Every partition of every topic. */
  allPartitions(): Iterable<PartitionLog>;
  commitOffsets(group: string, offsets: readonly TopicPartitionOffset[]): void;
  isClosed(): boolean;
}

/** Opens the coordinator, finishes interrupted transactions, aborts timed-out ones, and starts the timeout timer. */
export function startCoordinator(host: CoordinatorHost): { coordinator: TransactionCoordinator; stop: () => void } {
  const coordinator = new TransactionCoordinator(new TransactionLog(host.dataDir), participantsOf(host), host.clock, host.maxTimeoutMs);
  coordinator.recover();
  coordinator.abortTimedOut();
  coordinator.expireTransactionalIds(host.transactionalIdExpirationMs);
  if (host.abortCheckIntervalMs <= 0) return { coordinator, stop: () => undefined };
  const timer = setInterval(() => {
    if (host.isClosed()) return;
    try {
      coordinator.abortTimedOut();
      coordinator.expireTransactionalIds(host.transactionalIdExpirationMs);
    } catch (error) {
      log.error(`aborting timed-out transactions failed: ${(error as Error).message}`);
    }
  }, host.abortCheckIntervalMs);
  timer.unref();
  return { coordinator, stop: () => clearInterval(timer) };
}

function participantsOf(host: CoordinatorHost): TransactionParticipants {
  return {
    checkPartition: (partition) => host.checkPartition(partition),
    writeMarker: (tp, marker) => {
      const partition = host.findPartition(tp);
      if (partition?.producers.hasOpenTransaction(marker.producerId) !== true) return;
      partition.appendMarker(marker);
      partition.flush(); // EndTxn resolves once its markers are on disk: a completed transaction never loses its outcome
    },
    // A topic deleted while the transaction was open has no offsets to commit any more.
    commitOffsets: (group, offsets) => host.commitOffsets(group, offsets.filter((o) => host.findPartition(o) !== undefined)),
    openTransactions: () => [...host.allPartitions()].flatMap((p) =>
      p.producers.openTransactions().map((open) => ({ partition: { topic: p.topic, partition: p.partition }, ...open }))),
  };
}
