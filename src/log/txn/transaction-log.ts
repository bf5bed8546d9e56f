/**
 * The durable state of the transaction coordinator: the next producer id to hand out and, per
 * transactional id, its producer id and epoch, state, timeout, partitions and the group offsets
 * waiting for its commit. One JSON file, `transaction-state.json` in the data directory, rewritten
 * atomically (temp file, fsync, rename) on every change, so a crash leaves the previous or the new
 * state, never a torn one. Transactional ids are data, so they are stored in an array, not as
 * object keys.
 *
 * @example
 * const store = new TransactionLog(dataDir);
 * const id = store.allocateProducerId();
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamsError, writeFileAtomic } from '../../common/index.ts';
import type { TopicPartitionOffset } from '../group-offsets.ts';
import type { TopicPartition, TransactionState } from './types.ts';

const FILE = 'transaction-state.json';
const VERSION = 1;

/** What is kept about one transactional id. */
export interface StoredTransaction {
  readonly transactionalId: string;
  producerId: number;
  producerEpoch: number;
  state: TransactionState;
  timeoutMs: number;
  /** When the open transaction began; -1 when none is open. */
  startTimeMs: number;
  /** The epoch the coordinator aborted a transaction of for taking too long (-1: none): its calls get TRANSACTION_TIMED_OUT. */
  timedOutEpoch: number;
  partitions: TopicPartition[];
  /** Offsets of TxnOffsetCommit per group, applied when the transaction commits. */
  pendingOffsets: Array<{ group: string; offsets: TopicPartitionOffset[] }>;
  /** When the id's state last changed (for transactional.id.expiration.ms). */
  lastUpdateMs: number;
}

interface FileShape {
  version: number;
  nextProducerId: number;
  transactions: StoredTransaction[];
}

/** The coordinator's state on disk. */
export class TransactionLog {
  private readonly path: string;
  private nextProducerId = 0;
  private readonly transactions = new Map<string, StoredTransaction>();

  constructor(dataDir: string) {
    this.path = join(dataDir, FILE);
    if (!existsSync(this.path)) return;
    const file = JSON.parse(readFileSync(this.path, 'utf8')) as FileShape;
    if (file.version !== VERSION) {
      throw new StreamsError('INVALID_CONFIG', `${this.path} has format version ${file.version}; this kstreams reads version ${VERSION}`);
    }
    this.nextProducerId = file.nextProducerId;
    for (const txn of file.transactions) this.transactions.set(txn.transactionalId, txn);
  }

  /** A producer id never handed out before (persisted before it is returned). */
  allocateProducerId(): number {
    const id = this.nextProducerId++;
    this.persist();
    return id;
  }

  get(transactionalId: string): StoredTransaction | undefined {
    return this.transactions.get(transactionalId);
  }

  all(): StoredTransaction[] {
    return [...this.transactions.values()];
  }

  /** Forgets a transactional id (durably). */
  delete(transactionalId: string): void {
    if (this.transactions.delete(transactionalId)) this.persist();
  }

  /** Stores (or replaces) a transactional id's state durably. */
  put(txn: StoredTransaction): void {
    this.transactions.set(txn.transactionalId, txn);
    this.persist();
  }

  private persist(): void {
    const file: FileShape = { version: VERSION, nextProducerId: this.nextProducerId, transactions: [...this.transactions.values()] };
    writeFileAtomic(this.path, JSON.stringify(file));
  }
}
