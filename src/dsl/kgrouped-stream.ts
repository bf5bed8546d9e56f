import type { ProcessorSupplier } from '../processor/index.ts';
import type { Serde } from '../serde/index.ts';
import { StreamAggregationNode } from './aggregation-node.ts';
import type { GroupedStreamInput, NameProvider } from './aggregation-node.ts';
import type { Change } from './change.ts';
import type { KeyValueMaterialization } from './materialize.ts';
import { streamAggregateProcessor } from './processors/aggregate-stream.ts';
import type { Aggregator, Initializer } from './processors/aggregate-stream.ts';
import { streamReduceProcessor } from './processors/reduce-stream.ts';
import type { Reducer } from './processors/reduce-stream.ts';

/**
 * An aggregation added to the graph, ready to be wrapped as a KTable: its node (written into the
 * topology at `build()`), and the switch a downstream KTable operator flips when it needs old values
 * (Kafka's `enableSendingOldValues`); flipping it after `build()` has no effect on built tasks.
 */
export interface GroupedAggregation<K, V, VAgg> {
  readonly node: StreamAggregationNode<K, V, VAgg>;
  enableSendingOldValues(): void;
}

/** The user's `Named` and `Materialized` for one aggregation call. */
export interface AggregationOptions<K, VAgg> {
  readonly processorName?: string | undefined;
  readonly materialized?: KeyValueMaterialization<K, VAgg> | undefined;
}

/**
 * `KGroupedStream.count`: the number of records per key, in a KTable whose store is named by the
 * `Materialized` or `KSTREAM-AGGREGATE-STATE-STORE-<n>`. Records with a null key or value are not
 * counted. The count's serde is `longSerde` unless the `Materialized` gives one, as in Kafka.
 *
 * @example
 * const { node } = countGroupedStream(builder, grouped, {}, Serdes.Long());
 */
export function countGroupedStream<K, V>(
  names: NameProvider,
  input: GroupedStreamInput<K, V>,
  options: AggregationOptions<K, number>,
  longSerde: Serde<number>,
): GroupedAggregation<K, V, number> {
  return groupedAggregation(names, input, 'KSTREAM-AGGREGATE', options, longSerde, (store, sendOldValues) =>
    streamAggregateProcessor<K, V, number>(store, () => 0, (_key, _value, count) => count + 1, sendOldValues));
}

/**
 * `KGroupedStream.reduce`: per key, the first value, then `reducer(aggregate, value)` for each later
 * one. The store keeps the grouped stream's value serde unless the `Materialized` gives one.
 *
 * @example
 * const { node } = reduceGroupedStream(builder, grouped, (a, b) => Math.max(a, b), {});
 */
export function reduceGroupedStream<K, V>(
  names: NameProvider,
  input: GroupedStreamInput<K, V>,
  reducer: Reducer<V>,
  options: AggregationOptions<K, V>,
): GroupedAggregation<K, V, V> {
  return groupedAggregation(names, input, 'KSTREAM-REDUCE', options, input.valueSerde, (store, sendOldValues) =>
    streamReduceProcessor<K, V>(store, reducer, sendOldValues));
}

/**
 * `KGroupedStream.aggregate`: per key, starts from `initializer()` and folds each value in with
 * `aggregator`. The aggregate's serde is the `Materialized` one, else `default.value.serde`.
 *
 * @example
 * const { node } = aggregateGroupedStream(builder, grouped, () => 0, (_user, order, total) => total + order.amountCents, {});
 */
export function aggregateGroupedStream<K, V, VAgg>(
  names: NameProvider,
  input: GroupedStreamInput<K, V>,
  initializer: Initializer<VAgg>,
  aggregator: Aggregator<K, V, VAgg>,
  options: AggregationOptions<K, VAgg>,
): GroupedAggregation<K, V, VAgg> {
  return groupedAggregation(names, input, 'KSTREAM-AGGREGATE', options, undefined, (store, sendOldValues) =>
    streamAggregateProcessor<K, V, VAgg>(store, initializer, aggregator, sendOldValues));
}

function groupedAggregation<K, V, VAgg>(
  names: NameProvider,
  input: GroupedStreamInput<K, V>,
  prefix: string,
  options: AggregationOptions<K, VAgg>,
  valueSerde: Serde<VAgg> | undefined,
  makeSupplier: (storeName: string, sendOldValues: () => boolean) => ProcessorSupplier<K, V, K, Change<VAgg>>,
): GroupedAggregation<K, V, VAgg> {
  let sendOldValues = false;
  const node = new StreamAggregationNode<K, V, VAgg>(
    names,
    input,
    { prefix, storePrefix: prefix, processorName: options.processorName, materialized: options.materialized, keySerde: input.keySerde, valueSerde },
    (storeName) => makeSupplier(storeName, () => sendOldValues),
  );
  return { node, enableSendingOldValues: () => { sendOldValues = true; } };
}
