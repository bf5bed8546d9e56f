import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import { Serdes } from '../../serde/index.ts';
import type { Serde } from '../../serde/index.ts';
import type { KeyValueStore } from '../../state/index.ts';
import type { Change } from '../change.ts';
import type { ForeignKeyJoinSerdes } from './serdes.ts';
import { resolveSerde } from './serdes.ts';
import { encodeResponse, primaryKeyOf, subscriptionPrefix } from './wire.ts';

/**
 * Right side of a foreign-key join, on right table changes (Kafka's ForeignTableJoinProcessorSupplier):
 * every primary key subscribed to the changed row's key gets a response with the row's new value
 * (null when deleted), keyed by that primary key, for the response topic — a delete of a row that
 * never existed too, as Kafka answers it.
 */
export function rightTableUpdateProcessor<K, V, KO, VO>(spec: {
  subscriptionStoreName: string;
  serdes: ForeignKeyJoinSerdes<K, V, KO, VO>;
}): () => Processor<KO, Change<VO>, Buffer, Buffer> {
  return () => {
    let context: ProcessorContext<Buffer, Buffer>;
    let store: KeyValueStore<Buffer, Buffer>;
    let foreignKeySerde: Serde<KO>;
    let rightValueSerde: Serde<VO>;
    return {
      init(ctx) {
        context = ctx;
        const c = ctx as ProcessorContext<unknown, unknown>;
        store = ctx.getStateStore(spec.subscriptionStoreName);
        foreignKeySerde = resolveSerde(spec.serdes.foreignKey, 'key', 'the right table\'s keys', c);
        rightValueSerde = resolveSerde(spec.serdes.rightValue, 'value', 'the right table\'s values', c);
      },
      process(record: Record<KO, Change<VO>>) {
        if (record.key === null || record.key === undefined) return;
        const foreignKey = foreignKeySerde.serialize('', record.key) ?? Buffer.alloc(0);
        const foreignValue = record.value.newValue === null ? null : rightValueSerde.serialize('', record.value.newValue);
        const subscribers = store.prefixScan(subscriptionPrefix(foreignKey), Serdes.Bytes());
        try {
          for (const { key, value: hash } of subscribers) {
            const response = encodeResponse({ hash: hash.length === 0 ? null : hash, foreignValue });
            context.forward(new Record(Buffer.from(primaryKeyOf(key)), response, record.timestamp, record.headers));
          }
        } finally {
          subscribers.close();
        }
      },
    };
  };
}
