import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { TableValueGetterSupplier } from '../table-value-getter.ts';
import { warnSkippedRecord } from './dropped-records.ts';

/** Combines a record's value with its partner's (null when an outer side has none); the key comes third. */
export type ValueJoiner<V, VO, VR, K = unknown> = (value: V, otherValue: VO, key: K) => VR;

/**
 * The processor of `KStream.join/leftJoin(KTable)` and of joins with a GlobalKTable (Kafka's
 * KStreamKTableJoin): each stream record looks up the table's current value — under the record's
 * key, or for a global table under `keyMapper(key, value)` — and emits `joiner(value, tableValue)`
 * with the stream record's key and timestamp. Table updates emit nothing. An inner join drops
 * records without a table match; a left join emits them with a null table value. The key mapper
 * runs on every record, null keys and values included (Kafka 4.x, KIP-962): records with a null
 * value are dropped, and so are records whose table key is null in an inner join; a left join
 * emits them with a null table value.
 */
export function streamTableJoinProcessor<K, V, KT, VT, VR>(spec: {
  table: TableValueGetterSupplier<KT, VT>;
  keyMapper: (key: K, value: V) => KT | null;
  joiner: ValueJoiner<V, VT | null, VR, K>;
  leftJoin: boolean;
}): () => Processor<K, V, K, VR> {
  return () => {
    const getter = spec.table.get();
    let context: ProcessorContext<K, VR>;
    return {
      init(ctx) {
        context = ctx;
        getter.init(ctx as ProcessorContext<unknown, unknown>);
      },
      process(record: Record<K, V>) {
        // As Kafka does, the mapper sees every record, null key or value included.
        const tableKey = spec.keyMapper(record.key, record.value);
        const noTableKey = tableKey === null || tableKey === undefined;
        const noValue = record.value === null || record.value === undefined;
        if (noValue || (noTableKey && !spec.leftJoin)) {
          warnSkippedRecord('stream-table join', context);
          return;
        }
        const match = noTableKey ? null : getter.get(tableKey);
        if (match === null && !spec.leftJoin) return;
        context.forward(record.withValue(spec.joiner(record.value, match === null ? null : match.value, record.key)));
      },
    };
  };
}
