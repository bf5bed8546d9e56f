import { StreamsError } from '../../common/index.ts';
import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { TimestampedKeyValueStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import type { Aggregator, Initializer } from './aggregate-stream.ts';
import type { ChangeSerde } from './change-serde.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';

/**
 * The processor behind `KGroupedTable.aggregate` and `count` (Kafka's KTableAggregate). Each input
 * is a change of one row of the grouped table, re-keyed by the grouping: its old value is taken
 * out of the aggregate with `subtractor` first, then its new value is added with `adder` (starting
 * from `initializer()` when the key has no aggregate yet). A null result deletes the key.
 * The stored timestamp is the largest of the record's and the aggregate's.
 *
 * @example
 * streamsTopology.addProcessor('agg', tableAggregateProcessor('totals', () => 0, (_k, v: number, a) => a + v, (_k, v: number, a) => a - v), 'source');
 */
export function tableAggregateProcessor<K, V, VAgg>(
  storeName: string,
  initializer: Initializer<VAgg>,
  adder: Aggregator<K, V, VAgg>,
  subtractor: Aggregator<K, V, VAgg>,
  options: TableAggregationOptions<V> = {},
): () => Processor<K, Change<V>, K, Change<VAgg>> {
  return groupedTableProcessor<K, V, VAgg>(storeName, (key, value, aggregate) => adder(key, value, aggregate ?? initializer()), subtractor, options);
}

/** How a grouped-table aggregation is wired into its topology. */
export interface TableAggregationOptions<V> {
  /** Read when a task builds the processor: whether downstream asked for old values. */
  readonly sendOldValues?: () => boolean;
  /** The serde of the repartition topic feeding this processor; given the default serde at init when it has none. */
  readonly changeSerde?: ChangeSerde<V>;
}

/** Adds a row's new value to a key's aggregate; `null` when the key has none yet. */
export type AddToAggregate<K, V, VAgg> = (key: K, value: V, aggregate: VAgg | null) => VAgg;

/**
 * The processor shared by a grouped table's `aggregate`, `count` and `reduce`: they differ only in
 * how a new value joins an aggregate the key does not have yet (`add` is given null then).
 */
export function groupedTableProcessor<K, V, VAgg>(
  storeName: string,
  add: AddToAggregate<K, V, VAgg>,
  subtract: Aggregator<K, V, VAgg>,
  options: TableAggregationOptions<V>,
): () => Processor<K, Change<V>, K, Change<VAgg>> {
  return () => new GroupedTableProcessor(storeName, add, subtract, options.sendOldValues?.() ?? false, options.changeSerde);
}

class GroupedTableProcessor<K, V, VAgg> implements Processor<K, Change<V>, K, Change<VAgg>> {
  private store!: TimestampedKeyValueStore<K, VAgg>;
  private forwarder!: TimestampedForwarder<K, VAgg>;

  constructor(
    private readonly storeName: string,
    private readonly add: AddToAggregate<K, V, VAgg>,
    private readonly subtract: Aggregator<K, V, VAgg>,
    private readonly sendOldValues: boolean,
    private readonly changeSerde: ChangeSerde<V> | undefined,
  ) {}

  init(context: ProcessorContext<K, Change<VAgg>>): void {
    this.changeSerde?.useDefaultFrom(context.appConfigs);
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TimestampedForwarder(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, Change<V>>): void {
    const key = requireGroupKey(record.key, this.storeName);
    const previous = this.store.get(key);
    const oldAggregate = previous === null ? null : previous.value;
    // The max with the stored timestamp applies only once the existing aggregate is touched.
    const timestamp = previous === null ? record.timestamp : Math.max(record.timestamp, previous.timestamp);
    const { oldValue, newValue } = record.value;
    let aggregate = oldAggregate;
    if (oldValue !== null && aggregate !== null) aggregate = this.subtract(key, oldValue, aggregate);
    if (newValue !== null) aggregate = this.add(key, newValue, aggregate);
    this.store.put(key, aggregate === null ? null : { value: aggregate, timestamp });
    // One new record per update: the change replaces the value and the aggregate's timestamp the record's.
    this.forwarder.forwardChange(key, aggregate, oldAggregate, timestamp, record.headers);
  }
}

/** A grouped table's key is never null: the repartition step drops rows whose selected key is null. */
export function requireGroupKey<K>(key: K, storeName: string): NonNullable<K> {
  if (key === null || key === undefined) {
    throw new StreamsError(
      'PROCESSOR_ERROR',
      `KTable aggregation into store "${storeName}" received a record with a null key; records reaching it must come from KTable.groupBy, which drops null keys`,
    );
  }
  return key;
}
