import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { TimestampedKeyValueStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';

/**
 * `KTable.filter` / `filterNot` (Kafka's KTableFilter): a row that does not pass becomes a delete
 * (null), so downstream tables drop it. With old values requested, both sides of the change are
 * filtered and a change that is null on both sides is not forwarded. With a store (`Materialized`
 * name), the filtered table is kept and queryable, and old values come from that store.
 */
export function tableFilterProcessor<K, V>(
  predicate: (key: K, value: V) => boolean,
  keep: boolean,
  storeName: string | undefined,
  sendOldValues: () => boolean,
): () => Processor<K, Change<V>, K, Change<V>> {
  const pass = (key: K, value: V | null): V | null => (value !== null && predicate(key, value) === keep ? value : null);
  return () => new TableTransformProcessor<K, V, V>(pass, storeName, sendOldValues());
}

/** `KTable.mapValues` (Kafka's KTableMapValues): maps both sides of each change; deletes stay deletes. */
export function tableMapValuesProcessor<K, V, VR>(
  mapper: (value: V, key: K) => VR,
  storeName: string | undefined,
  sendOldValues: () => boolean,
): () => Processor<K, Change<V>, K, Change<VR>> {
  const map = (key: K, value: V | null): VR | null => (value === null ? null : mapper(value, key));
  return () => new TableTransformProcessor<K, V, VR>(map, storeName, sendOldValues());
}

/** Applies a per-row transform to a change; optionally materializes the result. */
class TableTransformProcessor<K, V, VR> implements Processor<K, Change<V>, K, Change<VR>> {
  private context!: ProcessorContext<K, Change<VR>>;
  private store: TimestampedKeyValueStore<K, VR> | undefined;
  private forwarder: TimestampedForwarder<K, VR> | undefined;

  constructor(
    private readonly transform: (key: K, value: V | null) => VR | null,
    private readonly storeName: string | undefined,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.context = context;
    if (this.storeName !== undefined) {
      this.store = context.getStateStore(this.storeName);
      this.forwarder = new TimestampedForwarder(this.store, context, this.sendOldValues);
    }
  }

  process(record: Record<K, Change<V>>): void {
    const newValue = this.transform(record.key, record.value.newValue);
    const oldValue = !this.sendOldValues
      ? null
      : this.store !== undefined
        ? (this.store.get(record.key)?.value ?? null)
        : this.transform(record.key, record.value.oldValue);
    if (this.sendOldValues && newValue === null && oldValue === null) return;
    const change = record.withValue<Change<VR>>({ newValue, oldValue });
    if (this.store === undefined) {
      this.context.forward(change);
      return;
    }
    this.store.put(record.key, newValue === null ? null : { value: newValue, timestamp: record.timestamp });
    this.forwarder!.maybeForward(change);
  }
}
