import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import type { Serde } from '../../serde/index.ts';
import type { KeyValueStore } from '../../state/index.ts';
import type { TableValueGetterSupplier } from '../table-value-getter.ts';
import type { ForeignKeyJoinSerdes } from './serdes.ts';
import { resolveSerde } from './serdes.ts';
import { decodeSubscription, encodeResponse, subscriptionStoreKey } from './wire.ts';

/**
 * Right side of a foreign-key join, step 2 (Kafka's SubscriptionReceiveProcessorSupplier and
 * SubscriptionJoinProcessorSupplier): records or forgets the subscription of a primary key to a
 * foreign key in the subscription store, then answers it with the right table's current row,
 * keyed by the primary key, for the response topic.
 */
export function subscriptionReceiveProcessor<K, V, KO, VO>(spec: {
  subscriptionStoreName: string;
  right: TableValueGetterSupplier<KO, VO>;
  serdes: ForeignKeyJoinSerdes<K, V, KO, VO>;
}): () => Processor<Buffer, Buffer, Buffer, Buffer> {
  return () => {
    const getter = spec.right.get();
    let context: ProcessorContext<Buffer, Buffer>;
    let store: KeyValueStore<Buffer, Buffer>;
    let foreignKeySerde: Serde<KO>;
    let rightValueSerde: Serde<VO>;
    return {
      init(ctx) {
        context = ctx;
        const c = ctx as ProcessorContext<unknown, unknown>;
        getter.init(c);
        store = ctx.getStateStore(spec.subscriptionStoreName);
        foreignKeySerde = resolveSerde(spec.serdes.foreignKey, 'key', 'the foreign keys (the right table\'s keys)', c);
        rightValueSerde = resolveSerde(spec.serdes.rightValue, 'value', 'the right table\'s values', c);
      },
      process(record: Record<Buffer, Buffer>) {
        const subscription = decodeSubscription(record.value);
        const storeKey = subscriptionStoreKey(record.key, subscription.primaryKey);
        const deleting = subscription.instruction === 'delete-no-propagate' || subscription.instruction === 'delete-and-propagate';
        if (deleting) store.delete(storeKey);
        else store.put(storeKey, subscription.hash ?? Buffer.alloc(0));
        if (subscription.instruction === 'delete-no-propagate') return;
        const right = getter.get(foreignKeySerde.deserialize('', record.key) as KO);
        if (right === null && subscription.instruction === 'propagate-only-if-present') return;
        const foreignValue = right === null || deleting ? null : rightValueSerde.serialize('', right.value);
        // The result (a deletion too) is as new as the newer of the two rows involved.
        const timestamp = right === null ? record.timestamp : Math.max(record.timestamp, right.timestamp);
        context.forward(new Record(Buffer.from(subscription.primaryKey), encodeResponse({ hash: subscription.hash, foreignValue }), timestamp, record.headers));
      },
    };
  };
}
