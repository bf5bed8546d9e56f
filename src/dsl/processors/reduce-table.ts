import type { Processor } from '../../processor/index.ts';
import type { Change } from '../change.ts';
import { groupedTableProcessor } from './aggregate-table.ts';
import type { TableAggregationOptions } from './aggregate-table.ts';
import type { Reducer } from './reduce-stream.ts';

/**
 * The processor behind `KGroupedTable.reduce` (Kafka's KTableReduce): the old value of an updated
 * row is taken out with `subtractor(aggregate, old)` first, then the new value is combined with
 * `adder(aggregate, new)`; a key without an aggregate takes the new value as it is. A null result
 * deletes the key. The stored timestamp is the largest of the record's and the aggregate's.
 *
 * @example
 * topology.addProcessor('sum', tableReduceProcessor('sums', (a: number, v: number) => a + v, (a: number, v: number) => a - v), 'source');
 */
export function tableReduceProcessor<K, V>(
  storeName: string,
  adder: Reducer<V>,
  subtractor: Reducer<V>,
  options: TableAggregationOptions<V> = {},
): () => Processor<K, Change<V>, K, Change<V>> {
  return groupedTableProcessor<K, V, V>(storeName, (_key, value, aggregate) => (aggregate === null ? value : adder(aggregate, value)), (_key, value, aggregate) => subtractor(aggregate, value), options);
}
