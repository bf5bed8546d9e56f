import type { Serde } from '../serde/index.ts';
import type { ProcessorSupplier } from '../processor/index.ts';
import { TableAggregationNode } from './aggregation-node.ts';
import type { NameProvider, TableGroupByNode } from './aggregation-node.ts';
import type { Change } from './change.ts';
import type { AggregationOptions } from './kgrouped-stream.ts';
import type { Aggregator, Initializer } from './processors/aggregate-stream.ts';
import { tableAggregateProcessor } from './processors/aggregate-table.ts';
import type { ChangeSerde } from './processors/change-serde.ts';
import type { Reducer } from './processors/reduce-stream.ts';
import { tableReduceProcessor } from './processors/reduce-table.ts';

/** An aggregation of a grouped table added to the graph, ready to be wrapped as a KTable. */
export interface GroupedTableAggregation<KR, VR, VAgg> {
  readonly node: TableAggregationNode<KR, VR, VAgg>;
  /** Kafka's `enableSendingOldValues`, for a downstream KTable operator that needs them. */
  enableSendingOldValues(): void;
}

/**
 * `KGroupedTable.count`: the number of table rows per group. A row that changes group is taken out
 * of the old group's count before it is added to the new one; a deleted row is taken out.
 *
 * @example
 * const { node } = countGroupedTable(builder, usersByRegion, {}, Serdes.Long());
 */
export function countGroupedTable<KR, VR>(
  names: NameProvider,
  select: TableGroupByNode<unknown, unknown, KR, VR>,
  options: AggregationOptions<KR, number>,
  longSerde: Serde<number>,
): GroupedTableAggregation<KR, VR, number> {
  return groupedTableAggregation(names, select, 'KTABLE-AGGREGATE', options, longSerde, (store, changeSerde, sendOldValues) =>
    tableAggregateProcessor<KR, VR, number>(store, () => 0, (_key, _value, count) => count + 1, (_key, _value, count) => count - 1, {
      sendOldValues,
      changeSerde,
    }));
}

/**
 * `KGroupedTable.reduce`: per group, `subtractor(aggregate, old)` for each row that leaves it or
 * changes, then `adder(aggregate, new)` for each row that joins it or changes; the first row of a
 * group is its aggregate as it is. As in Kafka, the processor is `KTABLE-REDUCE-<n>` but a generated
 * store is `KTABLE-AGGREGATE-STATE-STORE-<n>`.
 *
 * @example
 * const { node } = reduceGroupedTable(builder, balancesByBank, (a, b) => a + b, (a, b) => a - b, {});
 */
export function reduceGroupedTable<KR, VR>(
  names: NameProvider,
  select: TableGroupByNode<unknown, unknown, KR, VR>,
  adder: Reducer<VR>,
  subtractor: Reducer<VR>,
  options: AggregationOptions<KR, VR>,
): GroupedTableAggregation<KR, VR, VR> {
  return groupedTableAggregation(names, select, 'KTABLE-REDUCE', options, select.valueSerde, (store, changeSerde, sendOldValues) =>
    tableReduceProcessor<KR, VR>(store, adder, subtractor, { sendOldValues, changeSerde }));
}

/**
 * `KGroupedTable.aggregate`: per group, starts from `initializer()`; `subtractor` takes out the old
 * value of a changed or removed row before `adder` puts in the new one (Kafka's DSL guide table).
 *
 * @example
 * const { node } = aggregateGroupedTable(builder, grouped, () => 0, (_k, v, agg) => agg + v, (_k, v, agg) => agg - v, {});
 */
export function aggregateGroupedTable<KR, VR, VAgg>(
  names: NameProvider,
  select: TableGroupByNode<unknown, unknown, KR, VR>,
  initializer: Initializer<VAgg>,
  adder: Aggregator<KR, VR, VAgg>,
  subtractor: Aggregator<KR, VR, VAgg>,
  options: AggregationOptions<KR, VAgg>,
): GroupedTableAggregation<KR, VR, VAgg> {
  return groupedTableAggregation(names, select, 'KTABLE-AGGREGATE', options, undefined, (store, changeSerde, sendOldValues) =>
    tableAggregateProcessor<KR, VR, VAgg>(store, initializer, adder, subtractor, { sendOldValues, changeSerde }));
}

function groupedTableAggregation<KR, VR, VAgg>(
  names: NameProvider,
  select: TableGroupByNode<unknown, unknown, KR, VR>,
  prefix: string,
  options: AggregationOptions<KR, VAgg>,
  valueSerde: Serde<VAgg> | undefined,
  makeSupplier: (storeName: string, changeSerde: ChangeSerde<VR>, sendOldValues: () => boolean) => ProcessorSupplier<KR, Change<VR>, KR, Change<VAgg>>,
): GroupedTableAggregation<KR, VR, VAgg> {
  let sendOldValues = false;
  const node = new TableAggregationNode<KR, VR, VAgg>(
    names,
    select,
    { prefix, storePrefix: 'KTABLE-AGGREGATE', processorName: options.processorName, materialized: options.materialized, keySerde: select.keySerde, valueSerde },
    (storeName, changeSerde) => makeSupplier(storeName, changeSerde, () => sendOldValues),
  );
  return { node, enableSendingOldValues: () => { sendOldValues = true; } };
}
