import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import type { TimestampedKeyValueStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import { requireGroupKey } from './aggregate-table.ts';
import type { TableAggregationOptions } from './aggregate-table.ts';
import type { ChangeSerde } from './change-serde.ts';
import type { Reducer } from './reduce-stream.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';

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
  return () => new TableReduceProcessor(storeName, adder, subtractor, options.sendOldValues?.() ?? false, options.changeSerde);
}

class TableReduceProcessor<K, V> implements Processor<K, Change<V>, K, Change<V>> {
  private store!: TimestampedKeyValueStore<K, V>;
  private forwarder!: TimestampedForwarder<K, V>;

  constructor(
    private readonly storeName: string,
    private readonly adder: Reducer<V>,
    private readonly subtractor: Reducer<V>,
    private readonly sendOldValues: boolean,
    private readonly changeSerde: ChangeSerde<V> | undefined,
  ) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.changeSerde?.useDefaultFrom(context.appConfigs);
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TimestampedForwarder(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, Change<V>>): void {
    const key = requireGroupKey(record.key, this.storeName);
    const previous = this.store.get(key);
    const oldAggregate = previous === null ? null : previous.value;
    const timestamp = previous === null ? record.timestamp : Math.max(record.timestamp, previous.timestamp);
    const { oldValue, newValue } = record.value;
    let aggregate = oldAggregate;
    if (oldValue !== null && aggregate !== null) aggregate = this.subtractor(aggregate, oldValue);
    if (newValue !== null) aggregate = aggregate === null ? newValue : this.adder(aggregate, newValue);
    this.store.put(key, aggregate === null ? null : { value: aggregate, timestamp });
    // One new record per update: the change replaces the value and the aggregate's timestamp the record's.
    this.forwarder.maybeForward(new Record(key, { newValue: aggregate, oldValue: this.sendOldValues ? oldAggregate : null }, timestamp, record.headers));
  }
}
