import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';

/** Whether the records a repartition topic carries may have null keys; settled when the topology is built. */
export interface NullKeyPolicy {
  keepsNullKeys: boolean;
}

/**
 * The filter in front of a stream's repartition topic (`repartition()`, and the automatic ones
 * before joins and `toTable`), as in Kafka Streams 4.x: a record with a null key is dropped — no
 * partition is its own — unless a join that accepts null keys lies downstream (a stream-table or
 * stream-globalTable left join, a stream-stream left or outer join), which then receives it.
 *
 * @example
 * const policy = builder.repartitionNullKeyPolicy('KSTREAM-SOURCE-0000000006');
 * topology.addProcessor('KSTREAM-FILTER-0000000005', repartitionNullKeyFilterProcessor(policy), 'KSTREAM-KEY-SELECT-0000000001');
 */
export function repartitionNullKeyFilterProcessor<K, V>(policy: NullKeyPolicy): () => Processor<K, V, K, V> {
  return () => {
    const keepsNullKeys = policy.keepsNullKeys;
    let context: ProcessorContext<K, V>;
    return {
      init: (c) => { context = c; },
      process: (record: Record<K, V>) => {
        if (keepsNullKeys || (record.key !== null && record.key !== undefined)) context.forward(record);
      },
    };
  };
}
