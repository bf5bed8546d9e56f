import type { Header } from '../../processor/index.ts';

/** A record leaving a task, already serialized: sink output or a changelog write. */
export interface ProducedRecord {
  readonly topic: string;
  /** The partition chosen by the sink's partitioner, or undefined to let the collector choose. */
  readonly partition: number | undefined;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: readonly Header[];
}

/**
 * Where a task sends everything it produces. The task engine knows nothing about clusters or test
 * drivers: the runtime plugs in a producer-backed collector, the TopologyTestDriver an in-memory one.
 * `send` is synchronous (called per record); `flush` is the once-per-commit I/O boundary.
 *
 * @example
 * const collector: RecordCollector = {
 *   send: (r) => buffered.push(r), partitionsFor: () => 1, flush: () => producer.send(buffered),
 * };
 */
export interface RecordCollector {
  send(record: ProducedRecord): void;
  /** Partition count of `topic`, which the default partitioner needs. */
  partitionsFor(topic: string): number;
  /** Makes every record sent so far durable (or visible); called on commit. */
  flush(): void | Promise<void>;
}
