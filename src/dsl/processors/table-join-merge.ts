import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { TimestampedKeyValueStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import { TimestampedForwarder } from './timestamped-forwarder.ts';

/**
 * The `KTABLE-MERGE` step after a table-table join's two sides (Kafka's KTableKTableJoinMerger):
 * passes their changes on, and with a `Materialized` store keeps the joined table there and
 * forwards through its cache, old values read from the store.
 */
export function tableJoinMergeProcessor<K, V>(storeName: string | undefined, sendOldValues: () => boolean): () => Processor<K, Change<V>, K, Change<V>> {
  return () => {
    let context: ProcessorContext<K, Change<V>>;
    let store: TimestampedKeyValueStore<K, V> | undefined;
    let forwarder: TimestampedForwarder<K, V> | undefined;
    const oldValues = sendOldValues();
    return {
      init(ctx) {
        context = ctx;
        if (storeName === undefined) return;
        store = ctx.getStateStore(storeName);
        forwarder = new TimestampedForwarder(store, ctx, oldValues);
      },
      process(record: Record<K, Change<V>>) {
        if (store === undefined) {
          context.forward(record);
          return;
        }
        const oldValue = oldValues ? (store.get(record.key)?.value ?? null) : null;
        store.put(record.key, record.value.newValue === null ? null : { value: record.value.newValue, timestamp: record.timestamp });
        forwarder!.maybeForward(record.withValue<Change<V>>({ newValue: record.value.newValue, oldValue }));
      },
    };
  };
}
