import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';

/**
 * A predicate on a record, key first as in Kafka Streams' `Predicate.test(key, value)`.
 *
 * @example stream.filter((_key, order) => order.amount > 0)
 */
export type Predicate<K, V> = (key: K, value: V) => boolean;

/** `KStream.filter` / `filterNot`: forwards the records for which `predicate` is `keep`. */
export function streamFilterProcessor<K, V>(predicate: Predicate<K, V>, keep: boolean): () => Processor<K, V, K, V> {
  return () => {
    let context: ProcessorContext<K, V>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => {
        if (predicate(record.key, record.value) === keep) context.forward(record);
      },
    };
  };
}
