import { Serdes } from '../serde/index.ts';
import type { GroupedStreamInput } from './aggregation-node.ts';
import { CogroupedKStream } from './cogroup.ts';
import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { aggregateGroupedStream, countGroupedStream, reduceGroupedStream, type GroupedAggregation } from './kgrouped-stream.ts';
import { KTable } from './ktable.ts';
import type { Materialized } from './materialized.ts';
import { SessionWindowedKStream } from './session-windowed-kstream.ts';
import { TimeWindowedKStream } from './time-windowed-kstream.ts';
import { SessionWindows } from './windows/session-windows.ts';
import type { SlidingWindows } from './windows/sliding-windows.ts';
import type { TimeWindows } from './windows/time-windows.ts';
import type { Named } from './named.ts';
import { options, takeCountNameIndex } from './named-or-materialized.ts';
import type { Aggregator, Initializer } from './processors/aggregate-stream.ts';
import type { Reducer } from './processors/reduce-stream.ts';

/**
 * A stream grouped by key, ready to aggregate (Kafka Streams' KGroupedStream). Each aggregation
 * keeps its result per key in a store and returns it as a KTable; records with a null key or
 * value are skipped, as Kafka does.
 *
 * @example
 * orders.groupByKey().aggregate(() => 0, (_user, order, total) => total + order.amount, Materialized.as('totals'));
 */
export class KGroupedStream<K, V> {
  /** @internal Made by `KStream.groupByKey` / `groupBy`. */
  constructor(
    private readonly builder: InternalStreamsBuilder,
    private readonly input: GroupedStreamInput<K, V>,
  ) {}

  /** The number of records per key (a `Serdes.Long()` value unless `Materialized` says otherwise). */
  count(namedOrMaterialized?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<K, number> {
    const given = options(namedOrMaterialized, materialized);
    takeCountNameIndex(this.builder, given.materialized);
    return this.table(countGroupedStream(this.builder, this.input, given, Serdes.Long()));
  }

  /** Per key: the first value, then `reducer(aggregate, value)` for each later one. */
  reduce(reducer: Reducer<V>, namedOrMaterialized?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    return this.table(reduceGroupedStream(this.builder, this.input, reducer, options(namedOrMaterialized, materialized)));
  }

  /** Per key: starts from `initializer()` and folds each value in with `aggregator(key, value, aggregate)`. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    namedOrMaterialized?: Named | Materialized<K, VA>,
    materialized?: Materialized<K, VA>,
  ): KTable<K, VA> {
    return this.table(aggregateGroupedStream(this.builder, this.input, initializer, aggregator, options(namedOrMaterialized, materialized)));
  }

  /**
   * Cuts the grouped stream into windows: time windows (tumbling or hopping), sliding windows, or
   * sessions. Aggregations then run per key and window.
   */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    return windows instanceof SessionWindows
      ? new SessionWindowedKStream(this.builder, this.input, windows)
      : new TimeWindowedKStream(this.builder, this.input, windows);
  }

  /**
   * Starts a cogroup: this stream's values fold into a shared aggregate with `aggregator`; add
   * more grouped streams with `.cogroup(other, aggregator)`, then `.aggregate(initializer)`.
   */
  cogroup<VOut>(aggregator: Aggregator<K, V, VOut>): CogroupedKStream<K, VOut> {
    return new CogroupedKStream<K, VOut>(this.builder, [{ input: this.input as GroupedStreamInput<K, unknown>, aggregator: aggregator as Aggregator<K, unknown, VOut> }]);
  }

  /** @internal What a cogroup needs to read this grouped stream. */
  get groupedInput(): GroupedStreamInput<K, V> {
    return this.input;
  }

  private table<VA>(aggregation: GroupedAggregation<K, V, VA>): KTable<K, VA> {
    const { node } = aggregation;
    this.builder.add((topology) => node.writeTo(topology));
    return new KTable<K, VA>(this.builder, node.processorName, node.store.keySerde, node.store.valueSerde, node.store.storeName, () =>
      aggregation.enableSendingOldValues());
  }
}
