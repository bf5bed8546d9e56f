import type { Header } from '../processor/index.ts';

/**
 * A record as test topics pipe and read it (Kafka's TestRecord). `timestamp` may be left out when
 * piping: the input topic then stamps it with its current time and auto-advances.
 */
export interface TestRecord<K, V> {
  readonly key: K | null;
  readonly value: V | null;
  readonly timestamp: number;
  readonly headers: readonly Header[];
}

/** A record to pipe: only the value is required. */
export interface TestRecordInput<K, V> {
  readonly key?: K | null;
  readonly value: V | null;
  readonly timestamp?: number;
  readonly headers?: readonly Header[];
}
