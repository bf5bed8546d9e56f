import { Serdes } from '../serde/index.ts';
import type { TableGroupByNode } from './aggregation-node.ts';
import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { aggregateGroupedTable, countGroupedTable, reduceGroupedTable, type GroupedTableAggregation } from './kgrouped-table.ts';
import { options } from './named-or-materialized.ts';
import { KTable } from './ktable.ts';
import type { Materialized } from './materialized.ts';
import type { Named } from './named.ts';
import type { Aggregator, Initializer } from './processors/aggregate-stream.ts';
import type { Reducer } from './processors/reduce-stream.ts';

/**
 * A table re-grouped by a new key (Kafka Streams' KGroupedTable). Rows move between groups as they
 * change, so every aggregation has a subtractor as well as an adder: for an update, the old value
 * is subtracted from its old group before the new value is added to its new group.
 *
 * @example
 * users.groupBy((user, region) => [region, user]).count(); // users per region
 */
export class KGroupedTable<K, V> {
  /** @internal Made by `KTable.groupBy`. */
  constructor(
    private readonly builder: InternalStreamsBuilder,
    private readonly select: TableGroupByNode<unknown, unknown, K, V>,
  ) {}

  /** The number of rows per group. */
  count(namedOrMaterialized?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<K, number> {
    return this.table(countGroupedTable(this.builder, this.select, options(namedOrMaterialized, materialized), Serdes.Long()));
  }

  /** Per group: `adder(aggregate, new)` for rows that join or change, `subtractor(aggregate, old)` for rows that leave or change. */
  reduce(adder: Reducer<V>, subtractor: Reducer<V>, namedOrMaterialized?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    return this.table(reduceGroupedTable(this.builder, this.select, adder, subtractor, options(namedOrMaterialized, materialized)));
  }

  /** Per group: starts from `initializer()`; `subtractor` takes out old values before `adder` puts in new ones. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    namedOrMaterialized?: Named | Materialized<K, VA>,
    materialized?: Materialized<K, VA>,
  ): KTable<K, VA> {
    return this.table(aggregateGroupedTable(this.builder, this.select, initializer, adder, subtractor, options(namedOrMaterialized, materialized)));
  }

  private table<VA>(aggregation: GroupedTableAggregation<K, V, VA>): KTable<K, VA> {
    const { node } = aggregation;
    this.builder.add((topology) => node.writeTo(topology));
    return new KTable<K, VA>(this.builder, node.processorName, node.store.keySerde, node.store.valueSerde, node.store.storeName, () =>
      aggregation.enableSendingOldValues());
  }
}
