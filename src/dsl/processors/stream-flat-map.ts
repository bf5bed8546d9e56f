import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import { pairKey, pairValue, type KeyValuePair } from './key-value-pair.ts';

/** `KStream.flatMap`: zero or more new records per record, each with its own key. */
export function streamFlatMapProcessor<K, V, KR, VR>(
  mapper: (key: K, value: V) => Iterable<KeyValuePair<KR, VR>>,
): () => Processor<K, V, KR, VR> {
  return () => {
    let context: ProcessorContext<KR, VR>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => {
        for (const pair of mapper(record.key, record.value)) context.forward(record.withKey(pairKey(pair)).withValue(pairValue(pair)));
      },
    };
  };
}

/** `KStream.flatMapValues`: zero or more new values per record, all with the record's key. */
export function streamFlatMapValuesProcessor<K, V, VR>(mapper: (value: V, key: K) => Iterable<VR>): () => Processor<K, V, K, VR> {
  return () => {
    let context: ProcessorContext<K, VR>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => {
        for (const value of mapper(record.value, record.key)) context.forward(record.withValue(value));
      },
    };
  };
}
