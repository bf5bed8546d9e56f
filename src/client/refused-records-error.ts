import { StreamsError } from '../common/index.ts';
import type { StreamsErrorCode } from '../common/index.ts';
import type { ClusterRecord } from './cluster.ts';

/**
 * Kafka's error codes that refuse a batch for what its records are (too large, malformed, a
 * timestamp out of the topic's bounds), as opposed to where they were sent or who sent them:
 * resending those records unchanged fails again, so the production exception handler decides.
 */
const REFUSING_CODES = new Map<number, StreamsErrorCode>([
  [2, 'INVALID_RECORD'], // CORRUPT_MESSAGE
  [10, 'RECORD_TOO_LARGE'], // MESSAGE_TOO_LARGE
  [18, 'RECORD_TOO_LARGE'], // RECORD_LIST_TOO_LARGE
  [32, 'INVALID_TIMESTAMP'],
  [87, 'INVALID_RECORD'],
]);

/** The kstreams code of a Kafka error code that refuses records for what they are, else undefined. */
export function refusalCodeOf(kafkaCode: number): StreamsErrorCode | undefined {
  return REFUSING_CODES.get(kafkaCode);
}

/**
 * A produce call of which the cluster refused some partitions' batches for what their records are.
 * The other partitions' batches were written: only `refused` may be sent again (one at a time, to
 * find the records at fault), or the written ones would appear twice.
 */
export class RefusedRecordsError extends StreamsError {
  constructor(code: StreamsErrorCode, message: string, readonly refused: readonly ClusterRecord[], options: { cause?: unknown; location?: { topic: string; partition?: number } }) {
    super(code, message, options);
  }
}
