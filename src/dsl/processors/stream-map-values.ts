import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';

/** Maps a value (the key is passed read-only as the second argument). */
export type ValueMapper<K, V, VR> = (value: V, key: K) => VR;

/** `KStream.mapValues`: a new value per record, the key unchanged (no repartitioning needed). */
export function streamMapValuesProcessor<K, V, VR>(mapper: ValueMapper<K, V, VR>): () => Processor<K, V, K, VR> {
  return () => {
    let context: ProcessorContext<K, VR>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => context.forward(record.withValue(mapper(record.value, record.key))),
    };
  };
}
