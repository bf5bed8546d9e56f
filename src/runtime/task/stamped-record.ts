import type { Record } from '../../processor/index.ts';
import type { ConsumedRecord } from './consumed-record.ts';
import type { SourceRuntimeNode } from './source-runtime-node.ts';

/** A deserialized input record with its extracted timestamp and where it came from. */
export interface StampedRecord {
  readonly record: Record<unknown, unknown>;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The bytes it was read as: what exception handlers and dead-letter records see. */
  readonly raw: ConsumedRecord;
  /** The source node that deserialized it and feeds it into the graph. */
  readonly source: SourceRuntimeNode;
}
