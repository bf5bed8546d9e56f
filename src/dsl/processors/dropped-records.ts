import { getLogger } from '../../common/index.ts';
import { countDroppedRecord, type ProcessorContext } from '../../processor/index.ts';

const log = getLogger('dsl');

/**
 * Reports a record an aggregation skips because its key or value is null, as Kafka Streams does
 * (a warning naming the operator and the record's position, so the user can find the input),
 * and counts it in the task's dropped-records metrics.
 */
export function warnSkippedRecord(operator: string, context: Pick<ProcessorContext, 'recordMetadata'>): void {
  countDroppedRecord(context);
  const metadata = context.recordMetadata();
  const where = metadata === undefined
    ? 'a punctuation'
    : `topic "${metadata.topic}" partition ${metadata.partition} offset ${metadata.offset}`;
  log.warn(`${operator}: skipping record with a null key or value from ${where}; aggregations ignore such records`);
}
