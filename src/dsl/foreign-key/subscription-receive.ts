import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import type { KeyValueStore } from '../../state/index.ts';
import { decodeSubscription, subscriptionStoreKey } from './wire.ts';
import type { Subscription } from './wire.ts';

/**
 * Right side of a foreign-key join, step 2 (Kafka's SubscriptionReceiveProcessorSupplier): records
 * or forgets the subscription of a primary key to a foreign key in the subscription store, then
 * passes every subscription that wants an answer on to the join step. A null-keyed subscription
 * (a left join's row without a foreign key) subscribes to nothing and is only answered.
 */
export function subscriptionReceiveProcessor(spec: {
  subscriptionStoreName: string;
}): () => Processor<Buffer | null, Buffer, Buffer | null, Subscription> {
  return () => {
    let context: ProcessorContext<Buffer | null, Subscription>;
    let store: KeyValueStore<Buffer, Buffer>;
    return {
      init(ctx) {
        context = ctx;
        store = ctx.getStateStore(spec.subscriptionStoreName);
      },
      process(record: Record<Buffer | null, Buffer>) {
        const subscription = decodeSubscription(record.value);
        if (record.key === null) {
          if (subscription.instruction === 'propagate-null-if-absent') context.forward(new Record(null, subscription, record.timestamp, record.headers));
          return;
        }
        const storeKey = subscriptionStoreKey(record.key, subscription.primaryKey);
        if (subscription.instruction === 'delete-no-propagate' || subscription.instruction === 'delete-and-propagate') store.delete(storeKey);
        else store.put(storeKey, subscription.hash ?? Buffer.alloc(0));
        if (subscription.instruction !== 'delete-no-propagate') context.forward(new Record(record.key, subscription, record.timestamp, record.headers));
      },
    };
  };
}
