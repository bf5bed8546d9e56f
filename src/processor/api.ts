import type { StateStore } from '../state/index.ts';
import type { Record } from './record.ts';

/** When a punctuator fires: on stream time (driven by record timestamps) or on wall-clock time. */
export const PunctuationType = {
  STREAM_TIME: 'stream-time',
  WALL_CLOCK_TIME: 'wall-clock',
} as const;
export type PunctuationType = (typeof PunctuationType)[keyof typeof PunctuationType];

/** Called with the time (stream time or wall-clock, per its type) at which it fires. */
export type Punctuator = (timestamp: number) => void;

/** Returned by `schedule`; `cancel()` stops further calls. */
export interface Cancellable {
  cancel(): void;
}

/** Where the record being processed came from; absent for records made by a punctuator. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * What a processor can do besides receiving records. Each processor instance gets its own context,
 * bound to its node: `forward` always sends to that node's children, also from a punctuator or a
 * cache-flush callback.
 */
export interface ProcessorContext<KOut = unknown, VOut = unknown> {
  readonly applicationId: string;
  /** `<subtopology>_<partition>` */
  readonly taskId: string;
  /** Sends a record to all children, or only to the child named `childName`. */
  forward<K extends KOut, V extends VOut>(record: Record<K, V>, childName?: string): void;
  /**
   * Calls `punctuator` every `intervalMs`. Stream-time schedules are aligned to multiples of the
   * interval and fire when a record moves stream time across a boundary (missed intervals collapse
   * into one call); wall-clock schedules first fire at `now + interval`.
   */
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** A store connected to this processor; throws UNKNOWN_STATE_STORE otherwise. */
  getStateStore<S extends StateStore>(name: string): S;
  /** Topic/partition/offset of the record being processed, or undefined inside a punctuator. */
  recordMetadata(): RecordMetadata | undefined;
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
  /** Requests a commit as soon as possible. */
  commit(): void;
  /** The application's configuration (Kafka Streams key names). */
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
}

/**
 * A processor of the Processor API. `process` is synchronous, as in Kafka Streams: do I/O through
 * state stores, never with `await`.
 */
export interface Processor<KIn = unknown, VIn = unknown, KOut = unknown, VOut = unknown> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: Record<KIn, VIn>): void;
  close?(): void;
}

/** Makes a new processor per task; a plain function or an object with `get()`. */
export type ProcessorSupplier<KIn = unknown, VIn = unknown, KOut = unknown, VOut = unknown> =
  | (() => Processor<KIn, VIn, KOut, VOut>)
  | { get(): Processor<KIn, VIn, KOut, VOut> };

/** Resolves either form of supplier to a fresh processor. */
export function supplyProcessor<KIn, VIn, KOut, VOut>(
  supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>,
): Processor<KIn, VIn, KOut, VOut> {
  return typeof supplier === 'function' ? supplier() : supplier.get();
}

/**
 * A processor that may change the value but never the key (used by `processValues`), so no
 * repartitioning is needed downstream.
 */
export interface FixedKeyProcessor<K = unknown, VIn = unknown, VOut = unknown> {
  init?(context: FixedKeyProcessorContext<K, VOut>): void;
  process(record: Record<K, VIn>): void;
  close?(): void;
}

/** Like ProcessorContext, but `forward` only accepts records whose key is unchanged. */
export interface FixedKeyProcessorContext<K = unknown, VOut = unknown>
  extends Omit<ProcessorContext<K, VOut>, 'forward'> {
  forward<V extends VOut>(record: Record<K, V>, childName?: string): void;
}

export type FixedKeyProcessorSupplier<K = unknown, VIn = unknown, VOut = unknown> =
  | (() => FixedKeyProcessor<K, VIn, VOut>)
  | { get(): FixedKeyProcessor<K, VIn, VOut> };

/** Chooses the topic a sink writes each record to. */
export type TopicNameExtractor<K = unknown, V = unknown> = (
  key: K,
  value: V,
  recordContext: { topic: string | undefined; partition: number | undefined; offset: number | undefined; timestamp: number },
) => string;

/** Chooses a partition for a record, or undefined for the default (murmur2 of the serialized key). */
export type StreamPartitioner<K = unknown, V = unknown> = (
  topic: string,
  key: K,
  value: V,
  numPartitions: number,
) => number | undefined;

/** Reads the event time of a consumed record; `partitionTime` is the highest seen on its partition. */
export type TimestampExtractor = (
  record: { topic: string; partition: number; offset: number; key: unknown; value: unknown; timestamp: number },
  partitionTime: number,
) => number;
