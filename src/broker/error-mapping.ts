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
    default: return { code: ERROR_CODES.UNKNOWN_SERVER_ERROR, message };
  }
}
