import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { TimestampedKeyValueStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import { warnSkippedRecord } from './dropped-records.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';

/** Makes the starting aggregate for a key seen for the first time. */
export type Initializer<VAgg> = () => VAgg;
/** Folds one value into the aggregate of its key and returns the new aggregate. */
export type Aggregator<K, V, VAgg> = (key: K, value: V, aggregate: VAgg) => VAgg;

/**
 * The processor behind `KGroupedStream.aggregate` and `count` (Kafka's KStreamAggregate): per key,
 * starts from `initializer()` and folds each value in with `aggregator`, keeping the aggregate in a
 * timestamped store. Records with a null key or value are skipped. The stored (and forwarded)
 * timestamp is the largest timestamp of the records folded in so far.
 *
 * @example
 * topology.addProcessor('agg', streamAggregateProcessor('sums', () => 0, (_k, v: number, sum) => sum + v), 'source');
 */
export function streamAggregateProcessor<K, V, VAgg>(
  storeName: string,
  initializer: Initializer<VAgg>,
  aggregator: Aggregator<K, V, VAgg>,
  sendOldValues: () => boolean = () => false,
): () => Processor<K, V, K, Change<VAgg>> {
  return () => new StreamAggregateProcessor(storeName, initializer, aggregator, sendOldValues());
}

class StreamAggregateProcessor<K, V, VAgg> implements Processor<K, V, K, Change<VAgg>> {
  private context!: ProcessorContext<K, Change<VAgg>>;
  private store!: TimestampedKeyValueStore<K, VAgg>;
  private forwarder!: TimestampedForwarder<K, VAgg>;

  constructor(
    private readonly storeName: string,
    private readonly initializer: Initializer<VAgg>,
    private readonly aggregator: Aggregator<K, V, VAgg>,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VAgg>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TimestampedForwarder(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined || record.value === null || record.value === undefined) {
      warnSkippedRecord(`aggregation into store "${this.storeName}"`, this.context);
      return;
    }
    const previous = this.store.get(record.key);
    const oldAggregate = previous === null ? null : previous.value;
    const timestamp = previous === null ? record.timestamp : Math.max(record.timestamp, previous.timestamp);
    const newAggregate = this.aggregator(record.key, record.value, oldAggregate ?? this.initializer());
    this.store.put(record.key, { value: newAggregate, timestamp });
    // One new record per update: the change replaces the value and the aggregate's timestamp the record's.
    this.forwarder.forwardChange(record.key, newAggregate, oldAggregate, timestamp, record.headers);
  }
}
