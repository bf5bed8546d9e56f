import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';

/**
 * The filter Kafka puts before a grouping's repartition topic: records with a null key cannot be
 * grouped, so they are dropped before they are written (the aggregation would skip them anyway).
 *
 * @example
 * topology.addProcessor('KSTREAM-FILTER-0000000005', nullKeyFilterProcessor, 'KSTREAM-KEY-SELECT-0000000002');
 */
export function nullKeyFilterProcessor<K, V>(): Processor<K, V, K, V> {
  let context: ProcessorContext<K, V>;
  return {
    init: (c) => { context = c; },
    process: (record: Record<K, V>) => {
      if (record.key !== null && record.key !== undefined) context.forward(record);
    },
  };
}
