import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import { windowed } from '../../serde/index.ts';
import type { Windowed } from '../../serde/index.ts';
import type { TimestampedWindowStore, ValueAndTimestamp } from '../../state/index.ts';
import type { Change } from '../change.ts';
import type { SlidingWindows } from '../windows/sliding-windows.ts';
import type { Aggregator, Initializer } from './aggregate-stream.ts';
import { warnSkippedRecord } from './dropped-records.ts';
import { dropLateRecord } from './late-records.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';

/**
 * The processor behind `windowedBy(SlidingWindows)` (Kafka's KStreamSlidingWindowAggregate).
 * With time difference d, windows are `[start, start + d]`, both ends included, and exist only
 * where records are:
 * - every record at t has a left window `[t - d, t]` holding it and the records before it within d;
 * - a record's right window `[t + 1, t + 1 + d]` exists when later records fall within d of it;
 * - every existing window containing t takes the record in.
 * A new window's aggregate is built from an existing one holding the same earlier records (the
 * store keeps each window's newest record time, which tells which records it holds), so no record
 * is kept. Records before d (which would make negative starts) share the window `[0, d]`. A window
 * takes records while its end is at or after stream time minus grace; a record too late for even
 * its right window is dropped.
 */
export function slidingWindowAggregateProcessor<K, V, VAgg>(spec: {
  storeName: string;
  windows: SlidingWindows;
  initializer: Initializer<VAgg>;
  aggregator: Aggregator<K, V, VAgg>;
  sendOldValues: () => boolean;
}): () => Processor<K, V, Windowed<K>, Change<VAgg>> {
  return () => new SlidingWindowAggregateProcessor(spec.storeName, spec.windows, spec.initializer, spec.aggregator, spec.sendOldValues());
}

class SlidingWindowAggregateProcessor<K, V, VAgg> implements Processor<K, V, Windowed<K>, Change<VAgg>> {
  private context!: ProcessorContext<Windowed<K>, Change<VAgg>>;
  private store!: TimestampedWindowStore<K, VAgg>;
  private forwarder!: TimestampedForwarder<Windowed<K>, VAgg>;
  private observedStreamTime = -1;
  private readonly difference: number;

  constructor(
    private readonly storeName: string,
    private readonly windows: SlidingWindows,
    private readonly initializer: Initializer<VAgg>,
    private readonly aggregator: Aggregator<K, V, VAgg>,
    private readonly sendOldValues: boolean,
  ) {
    this.difference = windows.timeDifferenceMs;
  }

  init(context: ProcessorContext<Windowed<K>, Change<VAgg>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TimestampedForwarder(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined || record.value === null || record.value === undefined) {
      warnSkippedRecord(`sliding-window aggregation into store "${this.storeName}"`, this.context);
      return;
    }
    const t = record.timestamp;
    this.observedStreamTime = Math.max(this.observedStreamTime, t);
    const closeTime = this.observedStreamTime - this.windows.gracePeriodMs();
    if (t + 1 + this.difference <= closeTime) {
      dropLateRecord(this.storeName, this.context, `sliding windows around ${t}`, closeTime);
      return;
    }
    if (t < this.difference) this.processEarly(record, closeTime);
    else this.processInOrder(record, closeTime);
  }

  /**
   * Walks the key's windows newest first (as Kafka's reverse-iterator path does, so updates are
   * forwarded in the same order): windows ending after t take the record, the window ending at t is
   * the record's left window, and the first window ending before t holds what a new left window
   * starts from. A record whose timestamp an existing record already has changes no window edges.
   */
  private processInOrder(record: Record<K, V>, closeTime: number): void {
    const t = record.timestamp;
    const d = this.difference;
    const starts = new Set<number>();
    let leftAggregate: ValueAndTimestamp<VAgg> | null = null;
    let rightAggregate: ValueAndTimestamp<VAgg> | null = null;
    let leftExists = false;
    let rightExists = false;
    let previousRecordTime: number | null = null;
    for (const { key, value } of this.store.backwardFetch(record.key, record.key, Math.max(0, t - 2 * d), t + 1)) {
      const start = key.window.start;
      const end = start + d;
      starts.add(start);
      if (start === t + 1) {
        rightExists = true;
      } else if (end > t) {
        rightAggregate ??= value;
        this.update(record, start, value, closeTime);
      } else if (end === t) {
        leftExists = true;
        this.update(record, start, value, closeTime);
        if (value.timestamp >= t) return;
        previousRecordTime = value.timestamp;
      } else {
        // Ends before t: its aggregate holds exactly the records before t within d of its newest one.
        leftAggregate = value;
        previousRecordTime = value.timestamp;
        break;
      }
    }
    if (previousRecordTime !== null) {
      const previousRightStart = previousRecordTime + 1;
      // The previous record's right window now holds this record, unless it existed already.
      if (!starts.has(previousRightStart) && previousRightStart + d >= t) this.create(record, previousRightStart, closeTime);
    }
    if (!leftExists) {
      const seed = previousRecordTime !== null && t - d <= previousRecordTime && leftAggregate !== null ? leftAggregate.value : this.initializer();
      this.update(record, t - d, { value: seed, timestamp: t }, closeTime);
    }
    if (!rightExists && rightAggregate !== null && rightAggregate.timestamp > t) this.createRight(record, rightAggregate);
  }

  /** A record before d: it goes into the shared window `[0, d]`, and into right windows as usual. */
  private processEarly(record: Record<K, V>, closeTime: number): void {
    const t = record.timestamp;
    let combined: ValueAndTimestamp<VAgg> | null = null;
    let rightAggregate: ValueAndTimestamp<VAgg> | null = null;
    let rightExists = false;
    let previousRecordTime: number | null = null;
    const starts = new Set<number>();
    for (const { key, value } of this.store.fetch(record.key, record.key, 0, t + 1)) {
      const start = key.window.start;
      starts.add(start);
      if (start === 0) {
        combined = value;
        if (value.timestamp < t) previousRecordTime = value.timestamp;
      } else if (start <= t) {
        rightAggregate = value;
        this.update(record, start, value, closeTime);
      } else {
        rightExists = true;
      }
    }
    // Without another right window, [0, d] holds only records after t when its newest is after t.
    if (rightAggregate === null && combined !== null && combined.timestamp > t) rightAggregate = combined;
    if (!rightExists && rightAggregate !== null && rightAggregate.timestamp > t) this.createRight(record, rightAggregate);
    if (previousRecordTime !== null && !starts.has(previousRecordTime + 1)) this.create(record, previousRecordTime + 1, closeTime);
    this.update(record, 0, combined ?? { value: this.initializer(), timestamp: t }, closeTime);
  }

  /** A new window starting at `start` that holds only this record so far. */
  private create(record: Record<K, V>, start: number, closeTime: number): void {
    this.update(record, start, { value: this.initializer(), timestamp: record.timestamp }, closeTime);
  }

  /** The record's own right window, holding exactly what `aggregate` holds (the records after it). */
  private createRight(record: Record<K, V>, aggregate: ValueAndTimestamp<VAgg>): void {
    const start = record.timestamp + 1;
    this.store.put(record.key, aggregate, start);
    this.forward(record, start, aggregate.value, null, aggregate.timestamp);
  }

  /** Folds the record into the window at `start` (whose current aggregate is `current`), unless it has closed. */
  private update(record: Record<K, V>, start: number, current: ValueAndTimestamp<VAgg>, closeTime: number): void {
    const end = start + this.difference;
    if (end < closeTime) {
      dropLateRecord(this.storeName, this.context, `window [${start},${end}]`, closeTime);
      return;
    }
    const newAggregate = this.aggregator(record.key, record.value, current.value);
    const newTimestamp = Math.max(record.timestamp, current.timestamp);
    this.store.put(record.key, { value: newAggregate, timestamp: newTimestamp }, start);
    this.forward(record, start, newAggregate, current.value, newTimestamp);
  }

  private forward(record: Record<K, V>, start: number, newValue: VAgg, oldValue: VAgg | null, timestamp: number): void {
    // With caching on (the default) the cache forwards at flush: build nothing per update here.
    if (this.forwarder.forwardsOnFlush) return;
    this.forwarder.maybeForward(new Record(
      windowed(record.key, start, start + this.difference),
      { newValue, oldValue: this.sendOldValues ? oldValue : null },
      timestamp,
      record.headers,
    ));
  }
}
