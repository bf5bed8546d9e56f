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
 * records without a table match; a left join emits them with a null table value. Records with a
 * null value are dropped, and so are null keys in an inner join.
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
        if (record.value === null || record.value === undefined || (!spec.leftJoin && (record.key === null || record.key === undefined))) {
          warnSkippedRecord('stream-table join', context.recordMetadata());
          return;
        }
        const tableKey = record.key === null || record.key === undefined ? null : spec.keyMapper(record.key, record.value);
        const match = tableKey === null || tableKey === undefined ? null : getter.get(tableKey);
        if (match === null && !spec.leftJoin) return;
        context.forward(record.withValue(spec.joiner(record.value, match === null ? null : match.value, record.key)));
      },
    };
  };
}
