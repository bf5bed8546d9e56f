import { isStreamsError } from '../common/index.ts';
import { ERROR_CODES } from '../protocol/index.ts';

/**
 * The Kafka error code for a failure of the log engine, and its message; anything unexpected is
 * UNKNOWN_SERVER_ERROR (the broker logs those).
 */
export function kafkaErrorOf(error: unknown): { code: number; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (!isStreamsError(error)) return { code: ERROR_CODES.UNKNOWN_SERVER_ERROR, message };
  switch (error.code) {
    case 'UNKNOWN_TOPIC':
    case 'PARTITION_OUT_OF_RANGE': return { code: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION, message };
    case 'OFFSET_OUT_OF_RANGE': return { code: ERROR_CODES.OFFSET_OUT_OF_RANGE, message };
    case 'CORRUPT_RECORD': return { code: ERROR_CODES.CORRUPT_MESSAGE, message };
    case 'INVALID_RECORD': return { code: ERROR_CODES.INVALID_RECORD, message };
    case 'INVALID_TIMESTAMP': return { code: ERROR_CODES.INVALID_TIMESTAMP, message };
    case 'INVALID_PARTITIONS': return { code: ERROR_CODES.INVALID_PARTITIONS, message };
    case 'RECORD_TOO_LARGE': return { code: ERROR_CODES.MESSAGE_TOO_LARGE, message };
    case 'TOPIC_ALREADY_EXISTS': return { code: ERROR_CODES.TOPIC_ALREADY_EXISTS, message };
    case 'INVALID_TOPIC_NAME': return { code: ERROR_CODES.INVALID_TOPIC_EXCEPTION, message };
    case 'INVALID_CONFIG': return { code: ERROR_CODES.INVALID_CONFIG, message };
    case 'INVALID_ARGUMENT': return { code: ERROR_CODES.INVALID_REQUEST, message };
    case 'STORAGE_ERROR': return { code: ERROR_CODES.KAFKA_STORAGE_ERROR, message };
    // Transactions and idempotent producers.
    case 'PRODUCER_FENCED': return { code: ERROR_CODES.PRODUCER_FENCED, message };
    case 'INVALID_PRODUCER_EPOCH': return { code: ERROR_CODES.INVALID_PRODUCER_EPOCH, message };
    case 'OUT_OF_ORDER_SEQUENCE': return { code: ERROR_CODES.OUT_OF_ORDER_SEQUENCE_NUMBER, message };
    case 'INVALID_TXN_STATE': return { code: ERROR_CODES.INVALID_TXN_STATE, message };
    // Kafka's coordinator bumps the epoch of a transaction it aborts for its timeout: the producer is fenced.
    case 'TRANSACTION_TIMED_OUT': return { code: ERROR_CODES.PRODUCER_FENCED, message };
    case 'CONCURRENT_TRANSACTIONS': return { code: ERROR_CODES.CONCURRENT_TRANSACTIONS, message };
    case 'UNKNOWN_PRODUCER_ID': return { code: ERROR_CODES.UNKNOWN_PRODUCER_ID, message };
    default: return { code: ERROR_CODES.UNKNOWN_SERVER_ERROR, message };
  }
}

/**
 * `kafkaErrorOf` for a Produce partition: a stale epoch is INVALID_PRODUCER_EPOCH there even for a
 * transactional producer, as Kafka answers since 2.7 (KIP-588), so the client may abort the
 * transaction instead of failing fatally; the coordinator APIs answer PRODUCER_FENCED.
 */
export function produceErrorOf(error: unknown): { code: number; message: string } {
  const mapped = kafkaErrorOf(error);
  return mapped.code === ERROR_CODES.PRODUCER_FENCED ? { ...mapped, code: ERROR_CODES.INVALID_PRODUCER_EPOCH } : mapped;
}

/**
 * A coordinator API's error code for `version`: PRODUCER_FENCED (90) exists from `fencedFrom` on;
 * older versions are answered INVALID_PRODUCER_EPOCH, which their clients (librdkafka among them)
 * treat as fencing, as Kafka's coordinator does.
 */
export function coordinatorCode(code: number, version: number, fencedFrom: number): number {
  return code === ERROR_CODES.PRODUCER_FENCED && version < fencedFrom ? ERROR_CODES.INVALID_PRODUCER_EPOCH : code;
}
