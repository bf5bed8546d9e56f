import { StreamsError } from '../common/index.ts';
import type { ProcessorSupplier } from '../processor/index.ts';
import type { Serde, Windowed } from '../serde/index.ts';
import { definedSerdes } from './aggregation-node.ts';
import type { GroupedStreamInput } from './aggregation-node.ts';
import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { KTable } from './ktable.ts';
import { materialize } from './materialize.ts';
import type { Materialized } from './materialized.ts';
import type { Named } from './named.ts';
import { options } from './named-or-materialized.ts';
import type { KeyValueMaterialization, ResolvedStore } from './materialize.ts';
import { streamAggregateProcessor } from './processors/aggregate-stream.ts';
import type { Aggregator, Initializer } from './processors/aggregate-stream.ts';
import { nullKeyFilterProcessor } from './processors/aggregate-null-key-filter.ts';
import { sessionWindowAggregateProcessor } from './processors/session-window-aggregate.ts';
import type { Merger } from './processors/session-window-aggregate.ts';
import { slidingWindowAggregateProcessor } from './processors/sliding-window-aggregate.ts';
import { passThroughProcessor } from './processors/stream-peek.ts';
import { timeWindowAggregateProcessor } from './processors/time-window-aggregate.ts';
import { materializeSessionStore, materializeWindowStore, sessionWindowedKeySerde, timeWindowedKeySerde } from './windowed-materialize.ts';
import { EmitStrategy } from './windows/emit-strategy.ts';
import { SessionWindows } from './windows/session-windows.ts';
import { SlidingWindows } from './windows/sliding-windows.ts';
import type { TimeWindows } from './windows/time-windows.ts';

/** One grouped stream of a cogroup with the aggregator that folds its values in. */
export interface CogroupMember<K, VOut> {
  readonly input: GroupedStreamInput<K, unknown>;
  readonly aggregator: Aggregator<K, unknown, VOut>;
}

type Windowing = { readonly kind: 'none' } | { readonly kind: 'time'; readonly windows: TimeWindows | SlidingWindows } | { readonly kind: 'session'; readonly windows: SessionWindows; readonly merger: Merger<unknown, unknown> };

/**
 * Adds a cogrouped aggregation (Kafka's CogroupedStreamAggregateBuilder): every member stream
 * (repartitioned first when its key changed) gets its own `COGROUPKSTREAM-AGGREGATE` processor,
 * all writing one shared store, whose updates a `COGROUPKSTREAM-MERGE` node turns into one table.
 */
function buildCogroup<K, VOut>(
  builder: InternalStreamsBuilder,
  members: ReadonlyArray<CogroupMember<K, VOut>>,
  initializer: Initializer<VOut>,
  windowing: Windowing,
  processorName: string | undefined,
  materialized: KeyValueMaterialization<K, VOut> | undefined,
): KTable<unknown, VOut> {
  const keySerde = members.find((m) => m.input.keySerde !== undefined)?.input.keySerde;
  const defaults = { newStoreName: () => builder.newStoreName('COGROUPKSTREAM-AGGREGATE'), keySerde };
  let store: ResolvedStore<K, VOut>;
  let tableKeySerde: Serde<unknown> | undefined = keySerde;
  let graceMs: number | undefined;
  if (windowing.kind === 'none') {
    store = materialize(materialized, defaults);
  } else if (windowing.kind === 'time') {
    const w = windowing.windows;
    const sliding = w instanceof SlidingWindows;
    const sizeMs = sliding ? w.timeDifferenceMs : w.size();
    store = materializeWindowStore(materialized, defaults, { sizeMs, minRetentionMs: sliding ? 2 * sizeMs + w.gracePeriodMs() : sizeMs + w.gracePeriodMs() });
    tableKeySerde = timeWindowedKeySerde(store.keySerde, Math.max(1, sizeMs)) as Serde<unknown> | undefined;
    graceMs = w.gracePeriodMs();
  } else {
    const w = windowing.windows;
    store = materializeSessionStore(materialized, defaults, { minRetentionMs: w.inactivityGap() + w.gracePeriodMs() });
    tableKeySerde = sessionWindowedKeySerde(store.keySerde) as Serde<unknown> | undefined;
    graceMs = w.gracePeriodMs() + w.inactivityGap();
  }
  const storeName = store.storeName;
  let sendOldValues = false;
  const plan = members.map((member, index) => {
    const repartition = member.input.repartitionRequired
      ? {
          topic: `${member.input.groupedName ?? `${storeName}-${index}`}-repartition`,
          filterName: builder.newProcessorName('KSTREAM-FILTER'),
          sinkName: builder.newProcessorName('KSTREAM-SINK'),
          sourceName: builder.newProcessorName('KSTREAM-SOURCE'),
        }
      : undefined;
    const name = builder.newProcessorName('COGROUPKSTREAM-AGGREGATE');
    return { member, repartition, name, supplier: memberProcessor(member, storeName, initializer, windowing, () => sendOldValues) };
  });
  const mergeName = processorName ?? builder.newProcessorName('COGROUPKSTREAM-MERGE');
  builder.add((topology) => {
    for (const { member, repartition, name, supplier } of plan) {
      let parent = member.input.parentName;
      if (repartition !== undefined) {
        const serdes = definedSerdes(member.input.keySerde, member.input.valueSerde);
        topology
          .addProcessor(repartition.filterName, nullKeyFilterProcessor, parent)
          .addInternalTopic(repartition.topic, 'repartition')
          .addSink({ name: repartition.sinkName, topic: repartition.topic, ...serdes }, repartition.filterName)
          .addSource({ name: repartition.sourceName, topics: [repartition.topic], ...serdes });
        parent = repartition.sourceName;
      }
      topology.addProcessor(name, supplier, parent);
    }
    topology.addStateStore(store.builder, ...plan.map((p) => p.name));
    topology.addProcessor(mergeName, passThroughProcessor(), ...plan.map((p) => p.name));
  });
  return new KTable<unknown, VOut>(builder, mergeName, tableKeySerde, store.valueSerde, storeName, () => {
    sendOldValues = true;
  }, graceMs);
}

function memberProcessor<K, VOut>(
  member: CogroupMember<K, VOut>,
  storeName: string,
  initializer: Initializer<VOut>,
  windowing: Windowing,
  sendOldValues: () => boolean,
): ProcessorSupplier<K, unknown, unknown, unknown> {
  const aggregator = member.aggregator;
  if (windowing.kind === 'none') return streamAggregateProcessor<K, unknown, VOut>(storeName, initializer, aggregator, sendOldValues) as ProcessorSupplier<K, unknown, unknown, unknown>;
  if (windowing.kind === 'session') {
    const merger = windowing.merger as Merger<K, VOut>;
    return sessionWindowAggregateProcessor<K, unknown, VOut>({
      storeName, windows: windowing.windows, initializer, aggregator, merger, emitStrategy: EmitStrategy.onWindowUpdate(), sendOldValues,
    }) as ProcessorSupplier<K, unknown, unknown, unknown>;
  }
  const windows = windowing.windows;
  return (windows instanceof SlidingWindows
    ? slidingWindowAggregateProcessor<K, unknown, VOut>({ storeName, windows, initializer, aggregator, sendOldValues })
    : timeWindowAggregateProcessor<K, unknown, VOut>({ storeName, windows, initializer, aggregator, emitStrategy: EmitStrategy.onWindowUpdate(), sendOldValues })) as ProcessorSupplier<K, unknown, unknown, unknown>;
}

/**
 * Several grouped streams aggregated into one result (Kafka's CogroupedKStream): each stream
 * folds its own value type into the shared aggregate with its own aggregator — one store, one
 * table, instead of a join of separate aggregations.
 *
 * @example
 * const totals = clicks.groupByKey().cogroup((_user, _click, agg: Stats) => ({ ...agg, clicks: agg.clicks + 1 }))
 *   .cogroup(purchases.groupByKey(), (_user, p, agg) => ({ ...agg, spent: agg.spent + p.amount }))
 *   .aggregate(() => ({ clicks: 0, spent: 0 }));
 */
export class CogroupedKStream<K, VOut> {
  /** @internal Made by `KGroupedStream.cogroup`. */
  constructor(
    private readonly builder: InternalStreamsBuilder,
    private readonly members: ReadonlyArray<CogroupMember<K, VOut>>,
  ) {}

  /** Adds another grouped stream (same key type) with the aggregator for its values. */
  cogroup<V>(grouped: { readonly groupedInput: GroupedStreamInput<K, V> }, aggregator: Aggregator<K, V, VOut>): CogroupedKStream<K, VOut> {
    return new CogroupedKStream(this.builder, [...this.members, { input: grouped.groupedInput as GroupedStreamInput<K, unknown>, aggregator: aggregator as Aggregator<K, unknown, VOut> }]);
  }

  /** The aggregate per key, starting from `initializer()`. */
  aggregate(initializer: Initializer<VOut>, namedOrMaterialized?: Named | Materialized<K, VOut>, materialized?: Materialized<K, VOut>): KTable<K, VOut> {
    const given = options(namedOrMaterialized, materialized);
    return buildCogroup(this.builder, this.members, initializer, { kind: 'none' }, given.processorName, given.materialized) as KTable<K, VOut>;
  }

  /** Aggregates per key and window. */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedCogroupedKStream<K, VOut>;
  windowedBy(windows: SessionWindows): SessionWindowedCogroupedKStream<K, VOut>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedCogroupedKStream<K, VOut> | SessionWindowedCogroupedKStream<K, VOut> {
    return windows instanceof SessionWindows
      ? new SessionWindowedCogroupedKStream(this.builder, this.members, windows)
      : new TimeWindowedCogroupedKStream(this.builder, this.members, windows);
  }
}

/** A cogroup over time or sliding windows (Kafka's TimeWindowedCogroupedKStream). */
export class TimeWindowedCogroupedKStream<K, VOut> {
  /** @internal */
  constructor(
    private readonly builder: InternalStreamsBuilder,
    private readonly members: ReadonlyArray<CogroupMember<K, VOut>>,
    private readonly windows: TimeWindows | SlidingWindows,
  ) {}

  aggregate(initializer: Initializer<VOut>, namedOrMaterialized?: Named | Materialized<K, VOut>, materialized?: Materialized<K, VOut>): KTable<Windowed<K>, VOut> {
    const given = options(namedOrMaterialized, materialized);
    return buildCogroup(this.builder, this.members, initializer, { kind: 'time', windows: this.windows }, given.processorName, given.materialized) as KTable<Windowed<K>, VOut>;
  }
}

/** A cogroup over session windows (Kafka's SessionWindowedCogroupedKStream): merging sessions combines aggregates with `merger`. */
export class SessionWindowedCogroupedKStream<K, VOut> {
  /** @internal */
  constructor(
    private readonly builder: InternalStreamsBuilder,
    private readonly members: ReadonlyArray<CogroupMember<K, VOut>>,
    private readonly windows: SessionWindows,
  ) {}

  aggregate(initializer: Initializer<VOut>, merger: Merger<K, VOut>, namedOrMaterialized?: Named | Materialized<K, VOut>, materialized?: Materialized<K, VOut>): KTable<Windowed<K>, VOut> {
    if (typeof merger !== 'function') throw new StreamsError('INVALID_ARGUMENT', 'a session-windowed cogroup needs a merger (key, aggregate1, aggregate2) => aggregate');
    const given = options(namedOrMaterialized, materialized);
    const windowing: Windowing = { kind: 'session', windows: this.windows, merger: merger as Merger<unknown, unknown> };
    return buildCogroup(this.builder, this.members, initializer, windowing, given.processorName, given.materialized) as KTable<Windowed<K>, VOut>;
  }
}
