/**
 * The exception handlers of Kafka Streams 4.x (KIP-1033, KIP-1034) as TypeScript functions: what a
 * handler is told about a failed record, and what it answers.
 *
 * Three kinds, each set in the streams config by a function or a built-in name:
 * - `deserialization.exception.handler` (or `default.deserialization.exception.handler`): an input
 *   record's key or value could not be deserialized;
 * - `processing.exception.handler`: a processor threw while processing a record, or a punctuator threw;
 * - `production.exception.handler` (or `default.production.exception.handler`): what the topology
 *   made of a record could not be serialized (`origin` is `'KEY'` or `'VALUE'`), or the cluster
 *   refused a record (`origin` undefined).
 *
 * Every handler answers with an {@link ExceptionHandlerResponse}: `resume` (drop the record, count
 * it as skipped, go on) or `fail` (stop the task with the error), plus dead-letter-queue records the
 * task produces either way — before it fails, when it fails.
 *
 * @example
 * const streams = new KafkaStreams(topology, {
 *   'application.id': 'orders',
 *   'processing.exception.handler': (context, _record, error) =>
 *     error instanceof RangeError
 *       ? ExceptionHandlerResponse.resume([deadLetterQueueRecord('orders-dlq', context, error)])
 *       : ExceptionHandlerResponse.fail(),
 * });
 */
import type { Header, Record } from '../../processor/index.ts';

/**
 * Where a failed record came from (Kafka's `ErrorHandlerContext`): the input record being processed
 * when the error happened. With no input record (a punctuator, or a record the cluster refused
 * after the batch it came from was processed), `topic` is undefined, `partition` and `offset` are
 * -1 and the raw key and value are null.
 */
export interface ErrorHandlerContext {
  /** The input record's topic. */
  readonly topic: string | undefined;
  readonly partition: number;
  readonly offset: number;
  /** The input record's headers, as they were when the error happened. */
  readonly headers: readonly Header[];
  /** The name of the node that failed: the source, the processor or the sink. */
  readonly processorNodeId: string;
  /** The task's id, `<subtopology>_<partition>`. */
  readonly taskId: string;
  /** The timestamp of the record being processed. */
  readonly timestamp: number;
  /** The input record's key as it was read (bytes), before any processing. */
  readonly sourceRawKey: Buffer | null;
  /** The input record's value as it was read (bytes), before any processing. */
  readonly sourceRawValue: Buffer | null;
}

/** A record for the dead-letter queue, already bytes (Kafka's `ProducerRecord<byte[], byte[]>`). */
export interface DeadLetterQueueRecord {
  readonly topic: string;
  /** Left out: the default partitioner picks one from the key, as for any output. */
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: readonly Header[];
}

/**
 * What a handler decides: `resume` drops the record and goes on; `fail` stops the task; `retry`
 * (production handlers, Kafka's answer for retriable send errors) is treated as `fail`, because
 * kstreams' clients already retry retriable errors before reporting one.
 */
export type ExceptionHandlerResult = 'resume' | 'fail' | 'retry';

/** A handler's answer: the decision and the records to send to a dead-letter queue. */
export interface ExceptionHandlerResponse {
  readonly result: ExceptionHandlerResult;
  readonly deadLetterQueueRecords: readonly DeadLetterQueueRecord[];
}

/** Builds handler answers, as Kafka's `Response.resume(...)`, `Response.fail(...)`, `Response.retry()`. */
export const ExceptionHandlerResponse = {
  /** Drop the record (counted as skipped) and go on; the given records go to the dead-letter queue. */
  resume(deadLetterQueueRecords: readonly DeadLetterQueueRecord[] = []): ExceptionHandlerResponse {
    return { result: 'resume', deadLetterQueueRecords };
  },
  /** Stop the task with the error, after sending the given records to the dead-letter queue. */
  fail(deadLetterQueueRecords: readonly DeadLetterQueueRecord[] = []): ExceptionHandlerResponse {
    return { result: 'fail', deadLetterQueueRecords };
  },
  /** Kafka's answer for retriable production errors; kstreams treats it as `fail` (see ExceptionHandlerResult). */
  retry(): ExceptionHandlerResponse {
    return { result: 'retry', deadLetterQueueRecords: [] };
  },
} as const;

/** An input record as it was read, still bytes (Kafka's `ConsumerRecord<byte[], byte[]>`). */
export interface RawInputRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly Header[];
}

/**
 * A record on its way out when production failed: its key and value as the topology made them
 * (for a serialization error) or as bytes (for a record the cluster refused).
 */
export interface ProductionErrorRecord {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly key: unknown;
  readonly value: unknown;
  readonly timestamp: number;
  readonly headers: readonly Header[];
}

/** Which part of an output record a serializer refused (Kafka's `SerializationExceptionOrigin`). */
export type SerializationExceptionOrigin = 'KEY' | 'VALUE';

/** Decides about an input record whose key or value could not be deserialized. */
export type DeserializationExceptionHandler = (context: ErrorHandlerContext, record: RawInputRecord, error: Error) => ExceptionHandlerResponse;

/**
 * Decides about a record a processor threw on; `error` is what the processor threw. A punctuator's
 * failure comes here too, with a null record and a context without input record (as in Kafka 4.x).
 */
export type ProcessingExceptionHandler = (context: ErrorHandlerContext, record: Record<unknown, unknown> | null, error: Error) => ExceptionHandlerResponse;

/**
 * Decides about an output record that could not be serialized (`origin` says which part; Kafka's
 * `handleSerializationError`) or that the cluster refused (`origin` undefined; Kafka's `handleError`).
 * kstreams also asks it about a value a state store's serde refuses (`origin` undefined, `error` a
 * SERIALIZATION_ERROR): the record's topic is then the store's changelog, its key and value those
 * of the record the processor was processing.
 */
export type ProductionExceptionHandler = (
  context: ErrorHandlerContext,
  record: ProductionErrorRecord,
  error: Error,
  origin: SerializationExceptionOrigin | undefined,
) => ExceptionHandlerResponse;
