/**
 * What one partition knows about the producers writing to it: each producer id's epoch, the
 * sequence ranges of its last five batches (to acknowledge a retried batch without appending it
 * twice, as Kafka does), the first offset of its open transaction, and the aborted transactions —
 * from which the partition's last stable offset and read_committed filtering follow.
 *
 * Rules for a producer's data batch (Kafka's):
 * - an epoch older than the producer's current one is refused with INVALID_PRODUCER_EPOCH (as Kafka
 *   answers a produce since 2.7; the coordinator's calls answer PRODUCER_FENCED);
 * - a non-transactional batch while the producer has a transaction open here is refused (INVALID_TXN_STATE);
 * - a newer epoch must start at sequence 0;
 * - in the current epoch, a batch whose sequence range equals one of the last five is a retry: it is
 *   acknowledged with the offset it got the first time; any other batch must continue the last
 *   sequence by one (OUT_OF_ORDER_SEQUENCE otherwise);
 * - a producer this partition has no state for (new, or its batches are gone to retention) may start
 *   at any sequence.
 *
 * State is rebuilt by `observe`-ing stored batches in offset order, and saved as a JSON snapshot (see
 * docs/log-format.md, "Producer state").
 *
 * @example
 * const state = new ProducerStateTable('orders-0');
 * state.checkAppend(header); // throws on a gap or a fenced epoch; returns the first offset of a retry
 */
import { StreamsError } from '../../common/index.ts';
import { isControl, isTransactional, type BatchHeader } from '../../record/index.ts';
import type { AbortedTransaction } from './types.ts';

/** How many batches per producer are remembered for spotting retries (Kafka's value). */
export const RETAINED_BATCHES = 5;
const INT32_MAX = 0x7fffffff;

/** A batch's sequence range and where it was stored. */
interface BatchRange {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
}

interface ProducerEntry {
  epoch: number;
  /** The largest batch timestamp seen from the producer: when it last wrote, as far as expiry is concerned. */
  lastTimestamp: number;
  /** Oldest first, at most RETAINED_BATCHES, all of `epoch`. */
  batches: BatchRange[];
}

/** An aborted transaction's span in this partition: its first data offset to its ABORT marker. */
export interface AbortedRange extends AbortedTransaction {
  readonly lastOffset: number;
}

/** The snapshot file's shape. */
export interface ProducerStateSnapshot {
  readonly version: 1;
  /** The log end offset the snapshot describes: batches from here on are replayed on open. */
  readonly offset: number;
  /** [producerId, epoch, lastTimestamp, [[firstSeq, lastSeq, firstOffset], ...]] */
  readonly producers: ReadonlyArray<readonly [number, number, number, ReadonlyArray<readonly [number, number, number]>]>;
  /** [producerId, firstOffset] of every open transaction. */
  readonly ongoing: ReadonlyArray<readonly [number, number]>;
  /** [producerId, firstOffset, lastOffset] */
  readonly aborted: ReadonlyArray<readonly [number, number, number]>;
}

/**
 * The sequence of a batch's last record (Kafka's: base sequence + last offset delta, which stays
 * right when compaction removes records from the batch); sequences wrap from 2^31-1 to 0.
 */
function lastSequenceOf(header: BatchHeader): number {
  return (header.baseSequence + header.lastOffsetDelta) % (INT32_MAX + 1);
}

function follows(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === (lastSeq === INT32_MAX ? 0 : lastSeq + 1);
}

/** Producer ids, epochs, sequences and transactions of one partition. */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();
  /** producerId → first offset of its open transaction here. */
  private readonly ongoing = new Map<number, number>();
  /** In marker order (ascending lastOffset). */
  private aborted: AbortedRange[] = [];

  constructor(private readonly name: string) {}

  /**
   * Checks a producer's data batch before it is written (its base offset is not known yet).
   * Returns the first offset of the batch it repeats (a retry: do not append), else undefined.
   * @throws StreamsError INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE or INVALID_TXN_STATE
   */
  checkAppend(header: BatchHeader): number | undefined {
    const entry = this.producers.get(header.producerId);
    if (entry === undefined || header.baseSequence < 0) return undefined;
    const where = `${this.name}: producer ${header.producerId}`;
    if (header.producerEpoch < entry.epoch) {
      throw new StreamsError(
        'INVALID_PRODUCER_EPOCH',
        `${where} wrote with epoch ${header.producerEpoch}, but epoch ${entry.epoch} has replaced it; nothing was appended. Initialize the producer again (InitProducerId)`,
      );
    }
    if (this.ongoing.has(header.producerId) && !isTransactional(header)) {
      throw new StreamsError('INVALID_TXN_STATE', `${where} sent a non-transactional batch while its transaction is open here; nothing was appended. End the transaction first`);
    }
    if (header.producerEpoch > entry.epoch) {
      if (header.baseSequence !== 0) throw outOfOrder(where, `its new epoch ${header.producerEpoch} starts at sequence ${header.baseSequence}, not 0`);
      return undefined;
    }
    const lastSeq = lastSequenceOf(header);
    const retry = entry.batches.find((b) => b.firstSeq === header.baseSequence && b.lastSeq === lastSeq);
    if (retry !== undefined) return retry.firstOffset;
    const last = entry.batches.at(-1);
    if (last !== undefined && !follows(last.lastSeq, header.baseSequence)) {
      throw outOfOrder(where, `sent sequence ${header.baseSequence} after ${last.lastSeq}; expected ${follows(last.lastSeq, 0) ? 0 : last.lastSeq + 1}`);
    }
    return undefined;
  }

  /** The sequence an in-process producer's next batch here starts at. */
  nextSequence(producerId: number, producerEpoch: number): number {
    const entry = this.producers.get(producerId);
    if (entry === undefined || entry.epoch !== producerEpoch) return 0;
    const last = entry.batches.at(-1);
    return last === undefined ? 0 : (last.lastSeq + 1) % (INT32_MAX + 1);
  }

  /** Takes note of a batch stored at `header.baseOffset` (data or marker); batches without a producer are ignored. */
  observe(header: BatchHeader, markerType?: 'commit' | 'abort'): void {
    if (header.producerId < 0) return;
    const entry = this.entryFor(header.producerId, header.producerEpoch);
    if (header.maxTimestamp > entry.lastTimestamp) entry.lastTimestamp = header.maxTimestamp;
    if (isControl(header)) {
      if (markerType !== undefined) this.endTransaction(header.producerId, markerType === 'commit', header.baseOffset);
      return;
    }
    if (header.baseSequence >= 0) {
      entry.batches.push({ firstSeq: header.baseSequence, lastSeq: lastSequenceOf(header), firstOffset: header.baseOffset });
      if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
    }
    if (isTransactional(header) && !this.ongoing.has(header.producerId)) this.ongoing.set(header.producerId, header.baseOffset);
  }

  private entryFor(producerId: number, epoch: number): ProducerEntry {
    let entry = this.producers.get(producerId);
    if (entry === undefined) this.producers.set(producerId, (entry = { epoch, lastTimestamp: -1, batches: [] }));
    else if (epoch > entry.epoch) {
      entry.epoch = epoch;
      entry.batches = [];
    }
    return entry;
  }

  private endTransaction(producerId: number, commit: boolean, markerOffset: number): void {
    const first = this.ongoing.get(producerId);
    if (first === undefined) return;
    this.ongoing.delete(producerId);
    if (!commit) this.aborted.push({ producerId, firstOffset: first, lastOffset: markerOffset });
  }

  /** True while the producer has transactional data here that no marker has ended yet. */
  hasOpenTransaction(producerId: number): boolean {
    return this.ongoing.has(producerId);
  }

  /** Producers with an open transaction here, with their current epochs. */
  openTransactions(): Array<{ producerId: number; producerEpoch: number }> {
    return [...this.ongoing.keys()].map((producerId) => ({ producerId, producerEpoch: this.producers.get(producerId)?.epoch ?? 0 }));
  }

  /** The producer's current epoch here, or undefined when it has no state here. */
  epochOf(producerId: number): number | undefined {
    return this.producers.get(producerId)?.epoch;
  }

  /** The first offset of the oldest open transaction, or undefined when none is open. */
  firstUnstableOffset(): number | undefined {
    let first: number | undefined;
    for (const offset of this.ongoing.values()) if (first === undefined || offset < first) first = offset;
    return first;
  }

  /** Aborted transactions with data in [from, to), in marker order. */
  abortedBetween(from: number, to: number): AbortedRange[] {
    const found: AbortedRange[] = [];
    for (let i = this.firstEndingAtOrAfter(from); i < this.aborted.length; i++) {
      const range = this.aborted[i]!;
      if (range.firstOffset < to) found.push(range);
    }
    return found;
  }

  /** True when the transactional batch of `producerId` at `offset` belongs to an aborted transaction. */
  isAborted(producerId: number, offset: number): boolean {
    return isInAborted(this.aborted, producerId, offset, this.firstEndingAtOrAfter(offset));
  }

  /** The index of the first aborted range whose marker is at or after `offset` (ranges are in marker order). */
  private firstEndingAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.aborted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.aborted[mid]!.lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Forgets aborted transactions that ended before the log start (retention deleted them). */
  dropBefore(logStartOffset: number): void {
    if (this.aborted.length > 0 && this.aborted[0]!.lastOffset < logStartOffset) this.aborted = this.aborted.filter((r) => r.lastOffset >= logStartOffset);
  }

  /**
   * Forgets producers without an open transaction here whose last batch is `expirationMs` or more
   * older than `nowMs` (Kafka's producer.id.expiration.ms): a producer that comes back after that
   * may start at any sequence, and a retry of its old batches is no longer recognised. Returns how
   * many were forgotten.
   */
  expire(nowMs: number, expirationMs: number): number {
    let expired = 0;
    for (const [producerId, entry] of this.producers) {
      if (this.ongoing.has(producerId) || nowMs - entry.lastTimestamp < expirationMs) continue;
      this.producers.delete(producerId);
      expired++;
    }
    return expired;
  }

  toSnapshot(offset: number): ProducerStateSnapshot {
    return {
      version: 1,
      offset,
      producers: [...this.producers].map(([id, e]) => [id, e.epoch, e.lastTimestamp, e.batches.map((b) => [b.firstSeq, b.lastSeq, b.firstOffset] as const)] as const),
      ongoing: [...this.ongoing],
      aborted: this.aborted.map((r) => [r.producerId, r.firstOffset, r.lastOffset] as const),
    };
  }

  /** Replaces this table's contents with a snapshot's. */
  load(snapshot: ProducerStateSnapshot): void {
    this.producers.clear();
    this.ongoing.clear();
    for (const [id, epoch, lastTimestamp, batches] of snapshot.producers) {
      this.producers.set(id, { epoch, lastTimestamp, batches: batches.map(([firstSeq, lastSeq, firstOffset]) => ({ firstSeq, lastSeq, firstOffset })) });
    }
    for (const [id, first] of snapshot.ongoing) this.ongoing.set(id, first);
    this.aborted = snapshot.aborted.map(([producerId, firstOffset, lastOffset]) => ({ producerId, firstOffset, lastOffset }));
  }

  /** Forgets everything (before a rebuild from the log). */
  clear(): void {
    this.producers.clear();
    this.ongoing.clear();
    this.aborted = [];
  }
}

/** True when a range of `ranges` (from index `start`) is `producerId`'s and spans `offset`. */
export function isInAborted(ranges: readonly AbortedRange[], producerId: number, offset: number, start = 0): boolean {
  for (let i = start; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (r.producerId === producerId && r.firstOffset <= offset && offset <= r.lastOffset) return true;
  }
  return false;
}

function outOfOrder(where: string, what: string): StreamsError {
  return new StreamsError('OUT_OF_ORDER_SEQUENCE', `${where} ${what}; nothing was appended. A batch was lost between the producer and the log: the producer must fail its pending sends and start again`);
}
