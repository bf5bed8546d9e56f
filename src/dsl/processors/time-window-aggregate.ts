import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import { windowed } from '../../serde/index.ts';
import type { Windowed } from '../../serde/index.ts';
import type { TimestampedWindowStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import type { EmitStrategy } from '../windows/emit-strategy.ts';
import type { TimeWindows } from '../windows/time-windows.ts';
import type { Aggregator, Initializer } from './aggregate-stream.ts';
import { warnSkippedRecord } from './dropped-records.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';
import { EmitFinalThrottle } from './window-emit-final.ts';
import { dropLateRecord } from './late-records.ts';

/**
 * The processor behind `windowedBy(TimeWindows).aggregate/count/reduce` (Kafka's
 * KStreamWindowAggregate): each record is folded into every window containing its timestamp.
 * A window accepts records until stream time reaches its end plus the grace period; later records
 * for it are dropped, logged and counted. Each window keeps the timestamp of its newest record,
 * which is also the output record's timestamp. With on-window-update every change is forwarded
 * (through the store's cache when caching is on); with on-window-close each window is forwarded
 * once, with its final value, after it closes.
 *
 * @example
 * topology.addProcessor('agg', timeWindowAggregateProcessor({ storeName: 'w', windows, initializer: () => 0, aggregator: (_k, _v, n) => n + 1, emitStrategy, sendOldValues: () => false }), 'source');
 */
export function timeWindowAggregateProcessor<K, V, VAgg>(spec: {
  storeName: string;
  windows: TimeWindows;
  initializer: Initializer<VAgg>;
  aggregator: Aggregator<K, V, VAgg>;
  emitStrategy: EmitStrategy;
  sendOldValues: () => boolean;
}): () => Processor<K, V, Windowed<K>, Change<VAgg>> {
  return () => new TimeWindowAggregateProcessor(spec.storeName, spec.windows, spec.initializer, spec.aggregator, spec.emitStrategy, spec.sendOldValues());
}

class TimeWindowAggregateProcessor<K, V, VAgg> implements Processor<K, V, Windowed<K>, Change<VAgg>> {
  private context!: ProcessorContext<Windowed<K>, Change<VAgg>>;
  private store!: TimestampedWindowStore<K, VAgg>;
  private forwarder: TimestampedForwarder<Windowed<K>, VAgg> | undefined;
  private throttle: EmitFinalThrottle | undefined;
  private observedStreamTime = -1;

  constructor(
    private readonly storeName: string,
    private readonly windows: TimeWindows,
    private readonly initializer: Initializer<VAgg>,
    private readonly aggregator: Aggregator<K, V, VAgg>,
    private readonly emitStrategy: EmitStrategy,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<VAgg>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    if (this.emitStrategy.type === 'on-window-update') this.forwarder = new TimestampedForwarder(this.store, context, this.sendOldValues);
    else this.throttle = new EmitFinalThrottle(context);
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) {
      warnSkippedRecord(`windowed aggregation into store "${this.storeName}"`, this.context);
      return;
    }
    const timestamp = record.timestamp;
    this.observedStreamTime = Math.max(this.observedStreamTime, timestamp);
    const closeTime = this.observedStreamTime - this.windows.gracePeriodMs();
    for (const window of this.windows.windowsFor(timestamp)) {
      if (window.end <= closeTime) {
        dropLateRecord(this.storeName, this.context, `window [${window.start},${window.end})`, closeTime);
        continue;
      }
      const previous = this.store.fetch(record.key, window.start);
      const oldAggregate = previous === null ? null : previous.value;
      const newTimestamp = previous === null ? timestamp : Math.max(timestamp, previous.timestamp);
      const newAggregate = this.aggregator(record.key, record.value, oldAggregate ?? this.initializer());
      this.store.put(record.key, { value: newAggregate, timestamp: newTimestamp }, window.start);
      if (this.forwarder === undefined || this.forwarder.forwardsOnFlush) continue;
      this.forwarder.maybeForward(new Record(
        windowed(record.key, window.start, window.end),
        { newValue: newAggregate, oldValue: this.sendOldValues ? oldAggregate : null },
        newTimestamp,
        record.headers,
      ));
    }
    if (this.throttle !== undefined) this.emitClosedWindows(closeTime, record);
  }

  /**
   * Forwards, once, every window that closed since the last emission: end in (last close time,
   * close time]. They go out oldest window start first, then by key: the order of Kafka's
   * time-ordered store, which this store (ordered by key first) gives only after a sort.
   */
  private emitClosedWindows(closeTime: number, record: Record<K, V>): void {
    const throttle = this.throttle!;
    if (!throttle.shouldEmit(closeTime)) return;
    const size = this.windows.size();
    const upper = closeTime - size;
    const lower = Math.max(0, throttle.lastEmitCloseTime - size + 1);
    if (upper >= 0 && lower <= upper) {
      const closed = [...this.store.fetchAll(lower, upper)];
      // A stable sort: windows with the same start keep the store's key order.
      closed.sort((a, b) => a.key.window.start - b.key.window.start);
      for (const { key, value } of closed) {
        this.context.forward(new Record(key, { newValue: value.value, oldValue: null }, value.timestamp, record.headers));
      }
    }
    throttle.lastEmitCloseTime = closeTime;
  }
}
