import { ERROR_CODES } from '../../protocol/index.ts';
import type { TransactionDescription } from '../../log/index.ts';
import type { ApiHandler } from './handler.ts';
import { kafkaErrorOf } from '../error-mapping.ts';

const UNKNOWN = { transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: [] };

/** A description's partitions grouped by topic, as the response lists them. */
function topicsOf(description: TransactionDescription): Array<{ topic: string; partitions: number[] }> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of description.partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/**
 * DescribeTransactions: state, producer, timeout, start time and partitions of each transactional
 * id asked for, in the order asked; an id the coordinator does not know is answered
 * TRANSACTIONAL_ID_NOT_FOUND.
 */
export const handleDescribeTransactions: ApiHandler = async (context, request) => {
  const ids = request['transactionalIds'] as string[];
  try {
    const found = new Map((await context.engine.describeTransactions(ids)).map((d) => [d.transactionalId, d]));
    return {
      throttleTimeMs: 0,
      transactionStates: ids.map((transactionalId) => {
        const d = found.get(transactionalId);
        if (d === undefined || d.state === 'Dead') return { errorCode: ERROR_CODES.TRANSACTIONAL_ID_NOT_FOUND, transactionalId, ...UNKNOWN };
        return {
          errorCode: ERROR_CODES.NONE, transactionalId, transactionState: d.state, transactionTimeoutMs: d.timeoutMs,
          transactionStartTimeMs: d.startTimeMs, producerId: d.producerId, producerEpoch: d.producerEpoch, topics: topicsOf(d),
        };
      }),
    };
  } catch (error) {
    const errorCode = kafkaErrorOf(error).code;
    return { throttleTimeMs: 0, transactionStates: ids.map((transactionalId) => ({ errorCode, transactionalId, ...UNKNOWN })) };
  }
};
