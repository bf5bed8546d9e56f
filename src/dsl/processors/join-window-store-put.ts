import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { WindowStore } from '../../state/index.ts';

/**
 * The `KSTREAM-WINDOWED` step in front of each side of a stream-stream join (Kafka's
 * KStreamJoinWindow): remembers every record with a key and a value in that side's window store,
 * under its timestamp, so the other side can find it; then passes the record on.
 */
export function joinWindowStorePutProcessor<K, V>(storeName: string): () => Processor<K, V, K, V> {
  return () => {
    let context: ProcessorContext<K, V>;
    let store: WindowStore<K, V>;
    return {
      init(ctx) {
        context = ctx;
        store = ctx.getStateStore(storeName);
      },
      process(record: Record<K, V>) {
        if (record.key !== null && record.key !== undefined && record.value !== null && record.value !== undefined) {
          store.put(record.key, record.value, record.timestamp);
        }
        context.forward(record);
      },
    };
  };
}
