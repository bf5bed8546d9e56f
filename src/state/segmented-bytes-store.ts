import { getLogger } from '../common/index.ts';
import type { BulkRestoringStore, KeyScanningBytesStore, KeyValue, KeyValueIterator, StateStore, StateStoreContext } from './api.ts';
import { isPeekable } from './key-value-iterators.ts';
import { fromSortKey } from './sort-key.ts';
import type { PeekableBytesIterator } from './key-value-iterators.ts';
import { restoreEntries } from './restore-entries.ts';
import { WrappedKeyValueBytesStore } from './wrapped-key-value-bytes-store.ts';

const log = getLogger('state');

/** Kafka's default segment interval: half the retention, at least a minute. */
export function defaultSegmentInterval(retentionPeriod: number): number {
  return Math.max(Math.floor(retentionPeriod / 2), 60_000);
}

/**
 * The innermost layer of window and session stores (Kafka's segmented bytes store): keys carry a
 * time (window start, session end) that `timeOf` reads, and data older than `retentionPeriod`
 * behind the greatest time seen (the store's observed stream time) has expired. Writes of expired
 * data are dropped; reads never see it; and it is deleted one segment (`segmentInterval` ms of
 * time) at a time, when the observed stream time moves into a new segment — one pass over the
 * key list per segment, not per record, reading each time from the sort key (`sortKeyTimeOf`)
 * without making a Buffer of every key. Restoration writes through here too, so a restored store
 * holds exactly the live data.
 *
 * @example
 * const store = new SegmentedBytesStore(new InMemoryKeyValueStore('w'), windowTimeOf, 86_400_000, 43_200_000);
 */
export class SegmentedBytesStore extends WrappedKeyValueBytesStore implements BulkRestoringStore {
  private observedStreamTime = -1;
  /** Every segment below this one has been deleted. */
  private firstLiveSegment = 0;
  private expiredWrites = 0;

  constructor(
    private readonly keys: KeyScanningBytesStore,
    private readonly timeOf: (storeKey: Buffer) => number,
    readonly retentionPeriod: number,
    readonly segmentInterval: number,
    private readonly sortKeyTimeOf: (sortKey: string) => number = (sortKey) => timeOf(fromSortKey(sortKey)),
  ) {
    super(keys);
  }

  override async init(context: StateStoreContext, root: StateStore): Promise<void> {
    await this.inner.init(context, root);
    // A reopened persistent store resumes from the newest time it holds.
    const visit = (key: Buffer): void => {
      this.observedStreamTime = Math.max(this.observedStreamTime, this.timeOf(key));
    };
    if (this.keys.forEachKeyAsync !== undefined) await this.keys.forEachKeyAsync(visit);
    else this.keys.forEachKey(visit);
    this.dropExpiredSegments();
  }

  /** The oldest time that has not expired. */
  minLiveTime(): number {
    return this.observedStreamTime - this.retentionPeriod + 1;
  }

  /** How many writes were dropped because their time had expired. */
  droppedExpiredWrites(): number {
    return this.expiredWrites;
  }

  override get(key: Buffer): Buffer | null {
    return this.timeOf(key) < this.minLiveTime() ? null : this.inner.get(key);
  }

  override range(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.live(this.inner.range(from, to));
  }

  override reverseRange(from: Buffer | null, to: Buffer | null): KeyValueIterator<Buffer, Buffer> {
    return this.live(this.inner.reverseRange(from, to));
  }

  override all(): KeyValueIterator<Buffer, Buffer> {
    return this.live(this.inner.all());
  }

  override reverseAll(): KeyValueIterator<Buffer, Buffer> {
    return this.live(this.inner.reverseAll());
  }

  /** Hides entries that expired but whose segment is not deleted yet. */
  private live(entries: KeyValueIterator<Buffer, Buffer>): KeyValueIterator<Buffer, Buffer> {
    return new UnexpiredIterator(entries, this.timeOf, this.minLiveTime());
  }

  override put(key: Buffer, value: Buffer | null): void {
    const time = this.timeOf(key);
    if (time < this.minLiveTime()) {
      this.expiredWrites++;
      log.debug(`store "${this.name}" skipped a write at time ${time}: older than its retention (${this.retentionPeriod} ms) behind stream time ${this.observedStreamTime}`);
      return;
    }
    this.inner.put(key, value);
    if (time > this.observedStreamTime) {
      this.observedStreamTime = time;
      this.dropExpiredSegments();
    }
  }

  /**
   * Restores a page in one batch of the inner store: each write is checked against the stream time
   * its predecessors reached, as `put` checks it, and segments that expired are deleted once, after
   * the batch. That leaves what one `put` per entry leaves: a kept write that an expiry inside the
   * page would have deleted lies below the final cutoff, which is never lower.
   */
  restoreBatch(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void | Promise<void> {
    const startTime = this.observedStreamTime;
    const live: Array<KeyValue<Buffer, Buffer | null>> = [];
    for (const entry of entries) {
      const time = this.timeOf(entry.key);
      if (time < this.minLiveTime()) {
        this.expiredWrites++;
        continue;
      }
      live.push(entry);
      if (time > this.observedStreamTime) this.observedStreamTime = time;
    }
    const written = restoreEntries(this.inner, live);
    if (this.observedStreamTime === startTime) return written;
    if (written instanceof Promise) return written.then(() => this.dropExpiredSegments());
    this.dropExpiredSegments();
  }

  private dropExpiredSegments(): void {
    const liveSegment = Math.floor(Math.max(0, this.minLiveTime()) / this.segmentInterval);
    if (liveSegment <= this.firstLiveSegment) return;
    this.firstLiveSegment = liveSegment;
    const cutoff = liveSegment * this.segmentInterval;
    if (this.keys.keysInMemory?.() === false) {
      // Keys on disk only: one asynchronous pass at the next flush; reads hide expired entries until then.
      this.keys.deleteMatchingAtFlush!((key) => this.timeOf(key) < cutoff);
      log.debug(`store "${this.name}" will drop the entries of segments before time ${cutoff} at its next flush`);
      return;
    }
    const timeOf = this.sortKeyTimeOf;
    const dropped = this.keys.deleteKeysWhere((sortKey) => timeOf(sortKey) < cutoff);
    if (dropped > 0) log.debug(`store "${this.name}" dropped ${dropped} entries of segments before time ${cutoff}`);
  }
}

/**
 * The entries of a scan whose time has not expired. Peeking passes through: a peeked key may be
 * expired, which `next()` then skips, as it may skip a deleted one.
 */
class UnexpiredIterator implements PeekableBytesIterator {
  /** `entries` when it can peek: asked once, not at every peek. */
  private readonly peekable: PeekableBytesIterator | undefined;

  constructor(
    private readonly entries: KeyValueIterator<Buffer, Buffer>,
    private readonly timeOf: (storeKey: Buffer) => number,
    private readonly minLiveTime: number,
  ) {
    this.peekable = isPeekable(entries) ? entries : undefined;
  }

  next(): IteratorResult<KeyValue<Buffer, Buffer>> {
    for (let step = this.entries.next(); ; step = this.entries.next()) {
      if (step.done === true) {
        this.entries.close();
        return step;
      }
      if (this.timeOf(step.value.key) >= this.minLiveTime) return step;
    }
  }

  peekNextSortKey(): string | undefined {
    return this.peekable?.peekNextSortKey();
  }

  skipNext(): void {
    this.peekable?.skipNext();
  }

  close(): void {
    this.entries.close();
  }

  [Symbol.iterator](): this {
    return this;
  }
}
