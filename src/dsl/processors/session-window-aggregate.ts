import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import { windowed } from '../../serde/index.ts';
import type { Windowed } from '../../serde/index.ts';
import { isCachedStateStore } from '../../state/index.ts';
import type { KeyValue, SessionStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import type { EmitStrategy } from '../windows/emit-strategy.ts';
import type { SessionWindows } from '../windows/session-windows.ts';
import type { Aggregator, Initializer } from './aggregate-stream.ts';
import { warnSkippedRecord } from './dropped-records.ts';
import { dropLateRecord } from './late-records.ts';
import { EmitFinalThrottle } from './window-emit-final.ts';

/** Combines the aggregates of two sessions that a record bridges. */
export type Merger<K, VAgg> = (key: K, aggregate1: VAgg, aggregate2: VAgg) => VAgg;

/**
 * The processor behind `windowedBy(SessionWindows)` (Kafka's KStreamSessionWindowAggregate): a
 * record at t joins every session of its key that ends at or after t - gap and starts at or before
 * t + gap; those sessions are merged (their aggregates combined with `merger`) into one session
 * spanning them all and t. Each merged-away session is removed and a tombstone forwarded for it;
 * then the merged session is stored and forwarded. Output timestamps are session ends. A session
 * closes when stream time passes its end plus the gap plus grace; a record whose merged session
 * would end before that is dropped.
 */
export function sessionWindowAggregateProcessor<K, V, VAgg>(spec: {
  storeName: string;
  windows: SessionWindows;
  initializer: Initializer<VAgg>;
  aggregator: Aggregator<K, V, VAgg>;
  merger: Merger<K, VAgg>;
  emitStrategy: EmitStrategy;
  sendOldValues: () => boolean;
}): () => Processor<K, V, Windowed<K>, Change<VAgg>> {
  return () => new SessionWindowAggregateProcessor(spec.storeName, spec.windows, spec.initializer, spec.aggregator, spec.merger, spec.emitStrategy, spec.sendOldValues());
}

class SessionWindowAggregateProcessor<K, V, VAgg> implements Processor<K, V, Windowed<K>, Change<VAgg>> {
  private context!: ProcessorContext<Windowed<K>, Change<VAgg>>;
  private store!: SessionStore<K, VAgg>;
  private cacheForwards = false;
  private throttle: EmitFinalThrottle | undefined;
  private observedStreamTime = -1;

  constructor(
    private readonly storeName: string,
    private readonly windows: SessionWindows,
    private readonly initializer: Initializer<VAgg>,
    private readonly aggregator: Aggregator<K, V, VAgg>,
    private readonly merger: Merger<K, VAgg>,
    private readonly emitStrategy: EmitStrategy,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<VAgg>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    if (this.emitStrategy.type === 'on-window-close') {
      this.throttle = new EmitFinalThrottle(context);
      return;
    }
    const store = this.store;
    // With caching, the cache forwards each session's latest state (timestamp: the session end) on flush.
    this.cacheForwards = isCachedStateStore(store) && store.setFlushListener((entry) => {
      const session = entry.key as Windowed<K>;
      const change: Change<VAgg> = { newValue: entry.newValue as VAgg | null, oldValue: this.sendOldValues ? (entry.oldValue as VAgg | null) : null };
      context.forward(new Record(session, change, session.window.end));
    }, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) {
      warnSkippedRecord(`session-window aggregation into store "${this.storeName}"`, this.context);
      return;
    }
    const t = record.timestamp;
    const gap = this.windows.inactivityGap();
    this.observedStreamTime = Math.max(this.observedStreamTime, t);
    // A session can still grow until a record one gap after its end can no longer arrive.
    const closeTime = this.observedStreamTime - this.windows.gracePeriodMs() - gap;
    const merged: Array<KeyValue<Windowed<K>, VAgg>> = [];
    let start = t;
    let end = t;
    let aggregate = this.initializer();
    for (const session of this.store.findSessions(record.key, t - gap, t + gap)) {
      merged.push(session);
      aggregate = this.merger(record.key, aggregate, session.value);
      start = Math.min(start, session.key.window.start);
      end = Math.max(end, session.key.window.end);
    }
    if (end < closeTime) {
      dropLateRecord(this.storeName, this.context, `session [${start},${end}]`, closeTime);
      return;
    }
    if (start !== t || end !== t) {
      for (const session of merged) {
        this.store.remove(session.key);
        this.maybeForward(session.key, null, session.value, record);
      }
    }
    aggregate = this.aggregator(record.key, record.value, aggregate);
    const sessionKey = windowed(record.key, start, end);
    this.store.put(sessionKey, aggregate);
    this.maybeForward(sessionKey, aggregate, null, record);
    if (this.throttle !== undefined) this.emitClosedSessions(closeTime, record);
  }

  private maybeForward(session: Windowed<K>, newValue: VAgg | null, oldValue: VAgg | null, record: Record<K, V>): void {
    if (this.throttle !== undefined || this.cacheForwards) return;
    this.context.forward(new Record(session, { newValue, oldValue: this.sendOldValues ? oldValue : null }, session.window.end, record.headers));
  }

  /** Forwards, once, the sessions that closed since the last emission: end in (last close time, close time). */
  private emitClosedSessions(closeTime: number, record: Record<K, V>): void {
    const throttle = this.throttle!;
    if (!throttle.shouldEmit(closeTime)) return;
    const from = Math.max(0, throttle.lastEmitCloseTime);
    const closed: Array<KeyValue<Windowed<K>, VAgg>> = [];
    for (const session of this.store.findSessions(null, null, from, Number.MAX_SAFE_INTEGER)) {
      const end = session.key.window.end;
      if (end >= closeTime || (throttle.lastEmitCloseTime >= 0 && end < throttle.lastEmitCloseTime)) continue;
      closed.push(session);
    }
    // Oldest end first, then start, then key (the store's order): the order Kafka emits them in.
    closed.sort((a, b) => a.key.window.end - b.key.window.end || a.key.window.start - b.key.window.start);
    for (const session of closed) {
      this.context.forward(new Record(session.key, { newValue: session.value, oldValue: null }, session.key.window.end, record.headers));
    }
    throttle.lastEmitCloseTime = closeTime;
  }
}
