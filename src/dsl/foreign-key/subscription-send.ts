import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import type { Serde } from '../../serde/index.ts';
import type { Change } from '../change.ts';
import type { ForeignKeyJoinSerdes } from './serdes.ts';
import { resolveSerde } from './serdes.ts';
import { encodeSubscription, valueHash } from './wire.ts';
import type { SubscriptionInstruction } from './wire.ts';

/**
 * Left side of a foreign-key join, step 1 (Kafka's SubscriptionSendProcessorSupplier): on each
 * change of a left row, subscribes its primary key to the row's foreign key — a record keyed by the
 * foreign key on the subscription topic, so it lands where the right table's row is — and
 * unsubscribes from the previous foreign key when it changed. A left join also sends the changes of
 * rows without a foreign key (and deletes), keyed by null: the right side answers them with no
 * right value, so every change of a left row has a result, as in Kafka.
 */
export function subscriptionSendProcessor<K, V, KO, VO>(spec: {
  foreignKeyExtractor: (value: V) => KO | null;
  leftJoin: boolean;
  serdes: ForeignKeyJoinSerdes<K, V, KO, VO>;
}): () => Processor<K, Change<V>, Buffer | null, Buffer> {
  return () => {
    let context: ProcessorContext<Buffer | null, Buffer>;
    let keySerde: Serde<K>;
    let valueSerde: Serde<V>;
    let foreignKeySerde: Serde<KO>;
    const foreignKeyOf = (value: V | null): Buffer | null => {
      if (value === null) return null;
      const foreignKey = spec.foreignKeyExtractor(value);
      return foreignKey === null || foreignKey === undefined ? null : foreignKeySerde.serialize('', foreignKey);
    };
    return {
      init(ctx) {
        context = ctx;
        const c = ctx as ProcessorContext<unknown, unknown>;
        keySerde = resolveSerde(spec.serdes.primaryKey, 'key', 'the left table\'s keys', c);
        valueSerde = resolveSerde(spec.serdes.leftValue, 'value', 'the left table\'s values', c);
        foreignKeySerde = resolveSerde(spec.serdes.foreignKey, 'key', 'the foreign keys (the right table\'s keys)', c);
      },
      process(record: Record<K, Change<V>>) {
        if (record.key === null || record.key === undefined) return;
        const primaryKey = keySerde.serialize('', record.key) ?? Buffer.alloc(0);
        const { newValue, oldValue } = record.value;
        const newForeignKey = foreignKeyOf(newValue);
        const oldForeignKey = foreignKeyOf(oldValue);
        const send = (foreignKey: Buffer | null, instruction: SubscriptionInstruction, hash: Buffer | null) => {
          context.forward(new Record(foreignKey, encodeSubscription({ instruction, hash, primaryKey }), record.timestamp, record.headers));
        };
        const hash = newValue === null ? null : valueHash(valueSerde.serialize('', newValue));
        const movedAway = oldForeignKey !== null && (newForeignKey === null || !oldForeignKey.equals(newForeignKey));
        if (spec.leftJoin) {
          // Every change of a left row has a result: joined through its foreign key, or with no
          // right value (a deletion, or a row without a foreign key) through a null-keyed subscription.
          if (newValue === null && oldValue === null) return;
          if (movedAway) send(oldForeignKey, 'delete-no-propagate', null);
          send(newForeignKey, 'propagate-null-if-absent', hash);
          return;
        }
        if (newForeignKey === null) {
          // Deleted, or no longer pointing anywhere: the result the old key gave (if any) is deleted through it.
          if (oldForeignKey !== null) send(oldForeignKey, 'delete-and-propagate', hash);
          return;
        }
        if (movedAway) {
          // Moved to another key: the old result must go even if the new key has no row.
          send(oldForeignKey, 'delete-no-propagate', null);
          send(newForeignKey, 'propagate-null-if-absent', hash);
        } else {
          // Same key (or none before): an absent right row means there was no result to replace (Kafka 4.x).
          send(newForeignKey, 'propagate-only-if-present', hash);
        }
      },
    };
  };
}
