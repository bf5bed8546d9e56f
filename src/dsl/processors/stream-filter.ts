import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';

/** A predicate on a record's value (and key). */
export type Predicate<K, V> = (value: V, key: K) => boolean;

/** `KStream.filter` / `filterNot`: forwards the records for which `predicate` is `keep`. */
export function streamFilterProcessor<K, V>(predicate: Predicate<K, V>, keep: boolean): () => Processor<K, V, K, V> {
  return () => {
    let context: ProcessorContext<K, V>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => {
        if (predicate(record.value, record.key) === keep) context.forward(record);
      },
    };
  };
}
