import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import type { Serde } from '../../serde/index.ts';
import type { Change } from '../change.ts';
import type { ValueJoiner } from '../processors/stream-table-join.ts';
import type { TableValueGetterSupplier } from '../table-value-getter.ts';
import type { ForeignKeyJoinSerdes } from './serdes.ts';
import { resolveSerde } from './serdes.ts';
import { decodeResponse, valueHash } from './wire.ts';

/**
 * Left side of a foreign-key join, final step (Kafka's SubscriptionResolverJoinProcessorSupplier):
 * a response is applied only if the left row still has the value it was sent for (same hash) —
 * otherwise a newer subscription is on its way and this answer is stale. The result is
 * `joiner(left, right)`; with no right row, a left join gives `joiner(left, null)` and an inner
 * join deletes the result row; a deleted left row deletes it too.
 */
export function responseResolverProcessor<K, V, KO, VO, VR>(spec: {
  left: TableValueGetterSupplier<K, V>;
  joiner: ValueJoiner<V, VO | null, VR, K>;
  leftJoin: boolean;
  serdes: ForeignKeyJoinSerdes<K, V, KO, VO>;
}): () => Processor<Buffer, Buffer, K, Change<VR>> {
  return () => {
    const getter = spec.left.get();
    let context: ProcessorContext<K, Change<VR>>;
    let keySerde: Serde<K>;
    let leftValueSerde: Serde<V>;
    let rightValueSerde: Serde<VO>;
    return {
      init(ctx) {
        context = ctx;
        const c = ctx as ProcessorContext<unknown, unknown>;
        getter.init(c);
        keySerde = resolveSerde(spec.serdes.primaryKey, 'key', 'the left table\'s keys', c);
        leftValueSerde = resolveSerde(spec.serdes.leftValue, 'value', 'the left table\'s values', c);
        rightValueSerde = resolveSerde(spec.serdes.rightValue, 'value', 'the right table\'s values', c);
      },
      process(record: Record<Buffer, Buffer>) {
        const response = decodeResponse(record.value);
        const key = keySerde.deserialize('', record.key) as K;
        const current = getter.get(key);
        const currentHash = current === null ? null : valueHash(leftValueSerde.serialize('', current.value));
        const fresh = currentHash === null ? response.hash === null : response.hash !== null && currentHash.equals(response.hash);
        if (!fresh) return;
        const right = response.foreignValue === null ? null : (rightValueSerde.deserialize('', response.foreignValue) as VO);
        const result = current === null || (right === null && !spec.leftJoin) ? null : spec.joiner(current.value, right, key);
        context.forward(new Record<K, Change<VR>>(key, { newValue: result, oldValue: null }, record.timestamp, record.headers));
      },
    };
  };
}
