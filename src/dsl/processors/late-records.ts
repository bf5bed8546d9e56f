import { getLogger } from '../../common/index.ts';
import { countDroppedRecord, type ProcessorContext } from '../../processor/index.ts';

const log = getLogger('dsl');
const droppedByStore = new Map<string, number>();

/**
 * Records that a late record was dropped for a window that had already closed (Kafka's
 * dropped-records sensor and its "Skipping record for expired window" log line): stream time had
 * passed the window end plus grace. Counted per store (see {@link droppedLateRecords}) and in the
 * task's dropped-records metrics.
 */
export function dropLateRecord(storeName: string, context: ProcessorContext<unknown, unknown>, window: string, closeTime: number): void {
  droppedByStore.set(storeName, (droppedByStore.get(storeName) ?? 0) + 1);
  countDroppedRecord(context);
  const metadata = context.recordMetadata();
  const where = metadata === undefined ? 'a punctuation' : `topic "${metadata.topic}" partition ${metadata.partition} offset ${metadata.offset}`;
  log.debug(`store "${storeName}": skipping a record from ${where} for the closed ${window}; windows up to ${closeTime} are closed (stream time minus grace)`);
}

/**
 * How many late records the windowed operations of store `storeName` dropped in this process,
 * across its tasks: what a user checks when windows look short of data.
 *
 * @example
 * droppedLateRecords('clicks-per-minute'); // 3
 */
export function droppedLateRecords(storeName: string): number {
  return droppedByStore.get(storeName) ?? 0;
}
