import { isStreamsError } from '../../common/index.ts';
import type { Header } from '../../processor/index.ts';
import type { DeadLetterQueueRecord, ErrorHandlerContext } from './exception-handler-types.ts';

/**
 * The headers Kafka Streams 4.x puts on a dead-letter-queue record (KIP-1034), in its order; the
 * values are UTF-8 text. A tool that reads Kafka's dead-letter queues reads ours.
 */
export const DEAD_LETTER_QUEUE_HEADERS = {
  /** The error's kind: a StreamsError's code (`DESERIALIZATION_ERROR`...), else its name (`TypeError`). */
  exception: '__streams.errors.exception',
  message: '__streams.errors.message',
  stacktrace: '__streams.errors.stacktrace',
  /** Topic, partition and offset of the input record the error happened on. */
  topic: '__streams.errors.topic',
  partition: '__streams.errors.partition',
  offset: '__streams.errors.offset',
} as const;

/**
 * A dead-letter-queue record for an error, as Kafka Streams' built-in handlers make it: the input
 * record's raw key and value (the bytes as read, whatever stage failed), its timestamp, its
 * headers, then the `__streams.errors.*` headers. No partition: the default partitioner picks it.
 *
 * @example
 * const handler: ProcessingExceptionHandler = (context, _record, error) =>
 *   ExceptionHandlerResponse.resume([deadLetterQueueRecord('orders-dlq', context, error)]);
 */
export function deadLetterQueueRecord(topic: string, context: ErrorHandlerContext, error: Error): DeadLetterQueueRecord {
  const text = (s: string): Buffer => Buffer.from(s, 'utf8');
  const headers: Header[] = [
    ...context.headers,
    { key: DEAD_LETTER_QUEUE_HEADERS.exception, value: text(isStreamsError(error) ? error.code : error.name) },
    { key: DEAD_LETTER_QUEUE_HEADERS.message, value: text(error.message) },
    { key: DEAD_LETTER_QUEUE_HEADERS.stacktrace, value: text(error.stack ?? `${error.name}: ${error.message}`) },
    // Kafka writes Java's null topic as an absent value; the partition and offset are -1 then.
    { key: DEAD_LETTER_QUEUE_HEADERS.topic, value: context.topic === undefined ? null : text(context.topic) },
    { key: DEAD_LETTER_QUEUE_HEADERS.partition, value: text(String(context.partition)) },
    { key: DEAD_LETTER_QUEUE_HEADERS.offset, value: text(String(context.offset)) },
  ];
  return { topic, key: context.sourceRawKey, value: context.sourceRawValue, timestamp: context.timestamp, headers };
}
