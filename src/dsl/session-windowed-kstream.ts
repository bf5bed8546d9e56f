import { Serdes } from '../serde/index.ts';
import type { Serde, Windowed } from '../serde/index.ts';
import type { GroupedStreamInput } from './aggregation-node.ts';
import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { options, takeCountNameIndex } from './named-or-materialized.ts';
import type { KTable } from './ktable.ts';
import type { Materialized } from './materialized.ts';
import type { Named } from './named.ts';
import type { Aggregator, Initializer } from './processors/aggregate-stream.ts';
import type { Reducer } from './processors/reduce-stream.ts';
import { sessionWindowAggregateProcessor } from './processors/session-window-aggregate.ts';
import type { Merger } from './processors/session-window-aggregate.ts';
import { windowedAggregation } from './windowed-aggregation.ts';
import { emitFinalRetention, materializeSessionStore, sessionWindowedKeySerde } from './windowed-materialize.ts';
import { EmitStrategy } from './windows/emit-strategy.ts';
import type { SessionWindows } from './windows/session-windows.ts';

/**
 * A grouped stream cut into sessions of activity per key (Kafka's SessionWindowedKStream). Results
 * are KTables keyed by `Windowed<K>` with the session as window; when a record merges sessions,
 * each merged-away session is retracted with a tombstone.
 *
 * @example
 * clicks.groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace('PT30M')).count().toStream();
 */
export class SessionWindowedKStream<K, V> {
  /** @internal Made by `KGroupedStream.windowedBy`. */
  constructor(
    private readonly builder: InternalStreamsBuilder,
    private readonly input: GroupedStreamInput<K, V>,
    private readonly windows: SessionWindows,
    private readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /** When results are forwarded: on every session update (default) or once when each session closes. */
  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<K, V> {
    return new SessionWindowedKStream(this.builder, this.input, this.windows, strategy);
  }

  /** The number of records per session. */
  count(namedOrMaterialized?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<Windowed<K>, number> {
    const given = options(namedOrMaterialized, materialized);
    takeCountNameIndex(this.builder, given.materialized);
    return this.aggregation('KSTREAM-AGGREGATE', () => 0, (_key, _value, count) => count + 1, (_key, a, b) => a + b, given, Serdes.Long());
  }

  /** Per session: values combined with `reducer`; merged sessions are combined with it too. */
  reduce(reducer: Reducer<V>, namedOrMaterialized?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<Windowed<K>, V> {
    const combine = (a: V | null, b: V): V => (a === null ? b : reducer(a, b));
    return this.aggregation<V>('KSTREAM-REDUCE', () => null as V, (_key, value, aggregate) => combine(aggregate, value), (_key, a, b) => combine(a, b),
      options(namedOrMaterialized, materialized), this.input.valueSerde);
  }

  /** Per session: `aggregator` folds values in; `merger` combines two sessions' aggregates when a record bridges them. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
    namedOrMaterialized?: Named | Materialized<K, VA>,
    materialized?: Materialized<K, VA>,
  ): KTable<Windowed<K>, VA> {
    return this.aggregation('KSTREAM-AGGREGATE', initializer, aggregator, merger, options(namedOrMaterialized, materialized), undefined);
  }

  private aggregation<VA>(
    prefix: string,
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
    given: { processorName?: string; materialized?: Materialized<K, VA> },
    valueSerde: Serde<VA> | undefined,
  ): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const emitStrategy = this.strategy;
    return windowedAggregation<K, V, VA>(this.builder, this.input, {
      prefix,
      // Sessions close gap + grace after their end; suppression waits as long.
      graceMs: windows.gracePeriodMs() + windows.inactivityGap(),
      processorName: given.processorName,
      materialized: given.materialized,
      valueSerde,
      materializer: (materialized, defaults) => materializeSessionStore(materialized, defaults, { minRetentionMs: windows.inactivityGap() + windows.gracePeriodMs(), ...emitFinalRetention(emitStrategy) }),
      windowedKeySerde: sessionWindowedKeySerde,
      makeSupplier: (storeName, sendOldValues) =>
        sessionWindowAggregateProcessor<K, V, VA>({ storeName, windows, initializer, aggregator, merger, emitStrategy, sendOldValues }) as never,
    });
  }
}
