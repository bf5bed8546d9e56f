import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { Predicate } from './stream-filter.ts';

/**
 * `KStream.split()`: sends each record to the child of the first predicate it matches, or to the
 * default branch's child (when there is one); a record matching nothing else is dropped.
 */
export function streamBranchProcessor<K, V>(
  branches: ReadonlyArray<{ predicate: Predicate<K, V>; child: string }>,
  defaultChild: string | undefined,
): () => Processor<K, V, K, V> {
  return () => {
    let context: ProcessorContext<K, V>;
    return {
      init: (c) => void (context = c),
      process: (record: Record<K, V>) => {
        for (const branch of branches) {
          if (branch.predicate(record.key, record.value)) {
            context.forward(record, branch.child);
            return;
          }
        }
        if (defaultChild !== undefined) context.forward(record, defaultChild);
      },
    };
  };
}
