import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { TimestampedKeyValueStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import { warnSkippedRecord } from './dropped-records.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';

/** Combines the current aggregate of a key with a new value of that key. */
export type Reducer<V> = (aggregate: V, value: V) => V;

/**
 * The processor behind `KGroupedStream.reduce` (Kafka's KStreamReduce): the first value of a key
 * is its aggregate; each later value is combined with `reducer(aggregate, value)`. Records with a
 * null key or value are skipped. The stored (and forwarded) timestamp is the largest timestamp of
 * the records reduced so far.
 *
 * @example
 * topology.addProcessor('max', streamReduceProcessor('maxima', (a: number, b: number) => Math.max(a, b)), 'source');
 */
export function streamReduceProcessor<K, V>(
  storeName: string,
  reducer: Reducer<V>,
  sendOldValues: () => boolean = () => false,
): () => Processor<K, V, K, Change<V>> {
  return () => new StreamReduceProcessor(storeName, reducer, sendOldValues());
}

class StreamReduceProcessor<K, V> implements Processor<K, V, K, Change<V>> {
  private context!: ProcessorContext<K, Change<V>>;
  private store!: TimestampedKeyValueStore<K, V>;
  private forwarder!: TimestampedForwarder<K, V>;

  constructor(
    private readonly storeName: string,
    private readonly reducer: Reducer<V>,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TimestampedForwarder(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined || record.value === null || record.value === undefined) {
      warnSkippedRecord(`reduce into store "${this.storeName}"`, this.context);
      return;
    }
    const previous = this.store.get(record.key);
    const oldValue = previous === null ? null : previous.value;
    const newValue = oldValue === null ? record.value : this.reducer(oldValue, record.value);
    const timestamp = previous === null ? record.timestamp : Math.max(record.timestamp, previous.timestamp);
    this.store.put(record.key, { value: newValue, timestamp });
    // One new record per update: the change replaces the value and the aggregate's timestamp the record's.
    this.forwarder.forwardChange(record.key, newValue, oldValue, timestamp, record.headers);
  }
}
