import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import { pairKey, pairValue, type KeyValuePair } from './key-value-pair.ts';

/** Maps a record to a new key and value. */
export type KeyValueMapper<K, V, KR, VR> = (key: K, value: V) => KeyValuePair<KR, VR>;

/** `KStream.map`: a new key and value per record (the key may change, so grouping repartitions). */
export function streamMapProcessor<K, V, KR, VR>(mapper: KeyValueMapper<K, V, KR, VR>): () => Processor<K, V, KR, VR> {
  return () => {
    let context: ProcessorContext<KR, VR>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => {
        const pair = mapper(record.key, record.value);
        // One new record, not a copy per changed field.
        context.forward(new Record(pairKey(pair), pairValue(pair), record.timestamp, record.headers));
      },
    };
  };
}

/** `KStream.selectKey`: a new key per record, the value unchanged. */
export function streamSelectKeyProcessor<K, V, KR>(selector: (key: K, value: V) => KR): () => Processor<K, V, KR, V> {
  return () => {
    let context: ProcessorContext<KR, V>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => context.forward(record.withKey(selector(record.key, record.value))),
    };
  };
}
