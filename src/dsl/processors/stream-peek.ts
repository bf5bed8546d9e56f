import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';

/**
 * `KStream.peek` (forwards each record after the action) and `foreach` (a terminal action that
 * forwards nothing).
 */
export function streamPeekProcessor<K, V>(action: (key: K, value: V) => void, forward: boolean): () => Processor<K, V, K, V> {
  return () => {
    let context: ProcessorContext<K, V>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => {
        action(record.key, record.value);
        if (forward) context.forward(record);
      },
    };
  };
}

/** Forwards every record unchanged (Kafka's pass-through, used by `merge`). */
export function passThroughProcessor<K, V>(): () => Processor<K, V, K, V> {
  return streamPeekProcessor<K, V>(() => undefined, true);
}
