import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import type { Serde } from '../../serde/index.ts';
import type { TableValueGetterSupplier } from '../table-value-getter.ts';
import type { ForeignKeyJoinSerdes } from './serdes.ts';
import { resolveSerde } from './serdes.ts';
import { encodeResponse } from './wire.ts';
import type { Subscription } from './wire.ts';

/**
 * Right side of a foreign-key join, step 3 (Kafka's SubscriptionJoinProcessorSupplier): answers a
 * subscription with the right table's current row for its foreign key, keyed by the primary key,
 * for the response topic. A deletion is answered with no right value, so the left side deletes
 * the result; a subscription that wants an answer only when the right row exists gets none
 * without it.
 */
export function subscriptionJoinProcessor<K, V, KO, VO>(spec: {
  right: TableValueGetterSupplier<KO, VO>;
  serdes: ForeignKeyJoinSerdes<K, V, KO, VO>;
}): () => Processor<Buffer | null, Subscription, Buffer, Buffer> {
  return () => {
    const getter = spec.right.get();
    let context: ProcessorContext<Buffer, Buffer>;
    let foreignKeySerde: Serde<KO>;
    let rightValueSerde: Serde<VO>;
    return {
      init(ctx) {
        context = ctx;
        const c = ctx as ProcessorContext<unknown, unknown>;
        getter.init(c);
        foreignKeySerde = resolveSerde(spec.serdes.foreignKey, 'key', 'the foreign keys (the right table\'s keys)', c);
        rightValueSerde = resolveSerde(spec.serdes.rightValue, 'value', 'the right table\'s values', c);
      },
      process(record: Record<Buffer | null, Subscription>) {
        const subscription = record.value;
        const right = record.key === null ? null : getter.get(foreignKeySerde.deserialize('', record.key) as KO);
        if (right === null && subscription.instruction === 'propagate-only-if-present') return;
        const foreignValue = right === null || subscription.instruction === 'delete-and-propagate' ? null : rightValueSerde.serialize('', right.value);
        // The result (a deletion too) is as new as the newer of the two rows involved.
        const timestamp = right === null ? record.timestamp : Math.max(record.timestamp, right.timestamp);
        context.forward(new Record(Buffer.from(subscription.primaryKey), encodeResponse({ hash: subscription.hash, foreignValue }), timestamp, record.headers));
      },
    };
  };
}
