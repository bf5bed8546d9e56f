import { Serdes } from '../serde/index.ts';
import type { Serde, Windowed } from '../serde/index.ts';
import { StreamsError } from '../common/index.ts';
import type { GroupedStreamInput } from './aggregation-node.ts';
import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { options, takeCountNameIndex } from './named-or-materialized.ts';
import type { KTable } from './ktable.ts';
import type { Materialized } from './materialized.ts';
import type { Named } from './named.ts';
import type { Aggregator, Initializer } from './processors/aggregate-stream.ts';
import type { Reducer } from './processors/reduce-stream.ts';
import { slidingWindowAggregateProcessor } from './processors/sliding-window-aggregate.ts';
import { timeWindowAggregateProcessor } from './processors/time-window-aggregate.ts';
import { windowedAggregation } from './windowed-aggregation.ts';
import { emitFinalRetention, materializeWindowStore, timeWindowedKeySerde } from './windowed-materialize.ts';
import { EmitStrategy } from './windows/emit-strategy.ts';
import { SlidingWindows } from './windows/sliding-windows.ts';
import type { TimeWindows } from './windows/time-windows.ts';

/**
 * A grouped stream cut into time windows — tumbling, hopping or sliding — ready to aggregate per
 * key and window (Kafka's TimeWindowedKStream). Results are KTables keyed by `Windowed<K>`, kept in
 * a window store; they update as records arrive, or once per window with
 * `emitStrategy(EmitStrategy.onWindowClose())`.
 *
 * @example
 * views.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace('PT5M').advanceBy('PT1M')).count().toStream();
 */
export class TimeWindowedKStream<K, V> {
  /** @internal Made by `KGroupedStream.windowedBy`. */
  constructor(
    private readonly builder: InternalStreamsBuilder,
    private readonly input: GroupedStreamInput<K, V>,
    private readonly windows: TimeWindows | SlidingWindows,
    private readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /** When results are forwarded: on every window update (default) or once when each window closes. */
  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V> {
    if (this.windows instanceof SlidingWindows && strategy.type === 'on-window-close') {
      throw new StreamsError('INVALID_ARGUMENT', 'sliding windows emit on every update; for final results use .suppress(Suppressed.untilWindowCloses(...)) on the result');
    }
    return new TimeWindowedKStream(this.builder, this.input, this.windows, strategy);
  }

  /** The number of records per key and window. */
  count(namedOrMaterialized?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<Windowed<K>, number> {
    const given = options(namedOrMaterialized, materialized);
    if (!(this.windows instanceof SlidingWindows)) takeCountNameIndex(this.builder, given.materialized);
    return this.aggregation('KSTREAM-AGGREGATE', () => 0, (_key, _value, count) => count + 1, given, Serdes.Long());
  }

  /** Per key and window: the first value, then `reducer(aggregate, value)` for each later one. */
  reduce(reducer: Reducer<V>, namedOrMaterialized?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<Windowed<K>, V> {
    return this.aggregation<V>('KSTREAM-REDUCE', () => null as V, (_key, value, aggregate) => (aggregate === null ? value : reducer(aggregate, value)),
      options(namedOrMaterialized, materialized), this.input.valueSerde);
  }

  /** Per key and window: starts from `initializer()` and folds each value in with `aggregator(key, value, aggregate)`. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    namedOrMaterialized?: Named | Materialized<K, VA>,
    materialized?: Materialized<K, VA>,
  ): KTable<Windowed<K>, VA> {
    return this.aggregation('KSTREAM-AGGREGATE', initializer, aggregator, options(namedOrMaterialized, materialized), undefined);
  }

  private aggregation<VA>(
    prefix: string,
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    given: { processorName?: string; materialized?: Materialized<K, VA> },
    valueSerde: Serde<VA> | undefined,
  ): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const sliding = windows instanceof SlidingWindows;
    const sizeMs = sliding ? windows.timeDifferenceMs : windows.size();
    // Sliding windows look back up to twice the time difference when a record arrives.
    const minRetentionMs = sliding ? 2 * windows.timeDifferenceMs + windows.gracePeriodMs() : windows.size() + windows.gracePeriodMs();
    const strategy = this.strategy;
    return windowedAggregation<K, V, VA>(this.builder, this.input, {
      prefix,
      graceMs: windows.gracePeriodMs(),
      processorName: given.processorName,
      materialized: given.materialized,
      valueSerde,
      materializer: (materialized, defaults) => materializeWindowStore(materialized, defaults, { sizeMs, minRetentionMs, ...emitFinalRetention(strategy) }),
      windowedKeySerde: (keySerde) => timeWindowedKeySerde(keySerde, Math.max(1, sizeMs)),
      makeSupplier: (storeName, sendOldValues) => (windows instanceof SlidingWindows
        ? slidingWindowAggregateProcessor<K, V, VA>({ storeName, windows, initializer, aggregator, sendOldValues })
        : timeWindowAggregateProcessor<K, V, VA>({ storeName, windows, initializer, aggregator, emitStrategy: strategy, sendOldValues })) as never,
    });
  }
}
