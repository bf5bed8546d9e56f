import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { Change } from '../change.ts';

/** `KTable.toStream` (Kafka's KTableMapValues to a stream): each change becomes a record of its new value. */
export function tableToStreamProcessor<K, V>(): () => Processor<K, Change<V>, K, V | null> {
  return () => {
    let context: ProcessorContext<K, V | null>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, Change<V>>) => context.forward(record.withValue(record.value.newValue)),
    };
  };
}
