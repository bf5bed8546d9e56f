import type { Header } from '../../processor/index.ts';

/** A record as a task receives it from one of its input partitions: still bytes. */
export interface ConsumedRecord {
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: readonly Header[];
}
