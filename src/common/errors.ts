/**
 * Every error kstreams raises on purpose is a `StreamsError` with a `code` from this closed union,
 * so callers can branch on `err.code` instead of parsing messages. Messages name what was wrong,
 * where, and what to do next.
 */
export type StreamsErrorCode =
  // configuration and arguments
  | 'INVALID_CONFIG'
  | 'INVALID_ARGUMENT'
  | 'INVALID_TOPIC_NAME'
  | 'INVALID_DURATION'
  // log engine
  | 'UNKNOWN_TOPIC'
  | 'TOPIC_ALREADY_EXISTS'
  | 'PARTITION_OUT_OF_RANGE'
  | 'OFFSET_OUT_OF_RANGE'
  | 'RECORD_TOO_LARGE'
  | 'CORRUPT_RECORD'
  | 'INVALID_RECORD'
  | 'INVALID_PARTITIONS'
  | 'DATA_DIR_LOCKED'
  // producers and transactions (Kafka's exactly-once)
  | 'PRODUCER_FENCED'
  | 'INVALID_PRODUCER_EPOCH'
  | 'OUT_OF_ORDER_SEQUENCE'
  | 'INVALID_TXN_STATE'
  | 'TRANSACTION_TIMED_OUT'
  | 'CONCURRENT_TRANSACTIONS'
  | 'UNKNOWN_PRODUCER_ID'
  // consumer groups: another instance took this static member's group.instance.id
  | 'FENCED_INSTANCE_ID'
  // files and directories on disk
  | 'STORAGE_ERROR'
  | 'STATE_DIR_LOCKED'
  | 'ENGINE_CLOSED'
  // serdes
  | 'SERIALIZATION_ERROR'
  | 'DESERIALIZATION_ERROR'
  | 'SCHEMA_REGISTRY_ERROR'
  // topology and processing
  | 'TOPOLOGY_ERROR'
  | 'UNKNOWN_STATE_STORE'
  // interactive queries: the store cannot be read now (not running, rebalancing, restoring, moved); retry
  | 'INVALID_STATE_STORE'
  | 'STORE_CLOSED'
  | 'STORE_CORRUPTED'
  | 'PROCESSOR_ERROR'
  | 'EXCEPTION_HANDLER_ERROR'
  | 'INVALID_TIMESTAMP'
  | 'ILLEGAL_STATE'
  // Kafka wire protocol
  | 'PROTOCOL_ERROR'
  | 'UNSUPPORTED_VERSION'
  // secure connections (TLS, SASL)
  | 'AUTHENTICATION_FAILED'
  | 'TLS_HANDSHAKE_FAILED'
  | 'SUPPRESSION_BUFFER_FULL'
  // test driver
  | 'UNKNOWN_TOPIC_IN_DRIVER'
  | 'EMPTY_TOPIC';

/** Where in the data a failure happened, when known. */
export interface ErrorLocation {
  topic?: string;
  partition?: number;
  offset?: number;
}

/**
 * The error type of kstreams.
 *
 * @example
 * try { await log.fetch('orders', 9, 0) }
 * catch (e) { if (e instanceof StreamsError && e.code === 'PARTITION_OUT_OF_RANGE') ... }
 */
export class StreamsError extends Error {
  readonly code: StreamsErrorCode;
  readonly location: ErrorLocation | undefined;

  constructor(code: StreamsErrorCode, message: string, options: { cause?: unknown; location?: ErrorLocation } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StreamsError';
    this.code = code;
    this.location = options.location;
  }
}

/** True when `err` is a StreamsError, optionally of the given code. */
export function isStreamsError(err: unknown, code?: StreamsErrorCode): err is StreamsError {
  return err instanceof StreamsError && (code === undefined || err.code === code);
}

/** Formats a location as `topic "t" partition 2 offset 17` for messages. */
export function describeLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.topic !== undefined) parts.push(`topic "${loc.topic}"`);
  if (loc.partition !== undefined) parts.push(`partition ${loc.partition}`);
  if (loc.offset !== undefined) parts.push(`offset ${loc.offset}`);
  return parts.join(' ');
}
