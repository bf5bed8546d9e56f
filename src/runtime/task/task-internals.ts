import type { Cancellable, PunctuationType, Punctuator, RecordMetadata } from '../../processor/index.ts';
import type { StateStore } from '../../state/index.ts';
import type { Header } from '../../processor/index.ts';
import type { BadRecordPolicy } from './bad-record-policy.ts';
import type { ErrorHandlerContext } from './exception-handler-types.ts';
import type { RecordCollector } from './record-collector.ts';

/**
 * What the runtime nodes of a task share with it: identity, the collector, and the record context
 * of what is being processed right now. Implemented by StreamTask; nodes hold it instead of the
 * task so they stay small and testable.
 */
export interface TaskInternals {
  readonly taskId: string;
  readonly applicationId: string;
  readonly partition: number;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly collector: RecordCollector;
  /** Topic/partition/offset of the input record being processed; undefined inside punctuators. */
  readonly currentMetadata: RecordMetadata | undefined;
  /** Timestamp of the record being processed (or the punctuation time). */
  currentTimestamp: number;
  streamTimeMs(): number;
  wallClockMs(): number;
  schedule(nodeName: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** A store of this task by name (the caller checks that it is connected). */
  findStore(name: string): StateStore | undefined;
  /** A global store by name: every processor may read global stores without connecting them. */
  findGlobalStore(name: string): StateStore | undefined;
  requestCommit(): void;
  /** What to do with input records that cannot be deserialized or have invalid timestamps. */
  readonly badRecords: BadRecordPolicy;
  /**
   * What an exception handler is told about a failure at node `nodeName`: the input record being
   * processed (its raw bytes included), with the headers and timestamp the record has at that node.
   */
  errorContext(nodeName: string, headers: readonly Header[], timestamp: number): ErrorHandlerContext;
  /** Counts a record a processor dropped on purpose in the task's dropped-records metrics. */
  recordDropped(): void;
  /** Marks a dropped input record as consumed, so its offset is committed like a processed one. */
  recordSkipped(topic: string, offset: number): void;
}
