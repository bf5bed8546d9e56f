import type { NameProvider } from '../../../src/dsl/aggregation-node.ts';

/** The builder's shared name counter, as Kafka's InternalStreamsBuilder numbers names. */
export function counterNames(start = 0): NameProvider & { next: number } {
  const names = {
    next: start,
    newProcessorName: (prefix: string) => `${prefix}-${String(names.next++).padStart(10, '0')}`,
    newStoreName: (prefix: string) => `${prefix}-STATE-STORE-${String(names.next++).padStart(10, '0')}`,
  };
  return names;
}
