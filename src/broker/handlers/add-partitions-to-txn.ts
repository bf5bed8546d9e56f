import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { coordinatorCode, kafkaErrorOf } from '../error-mapping.ts';

interface TxnTopic { name: string; partitions: number[] }
interface TxnRequest { transactionalId: string; producerId: number; producerEpoch: number; verifyOnly: boolean; topics: TxnTopic[] }

/** Up to v3 a request carries one transaction in top-level fields; from v4 a list of them. */
function transactionsOf(request: Record<string, unknown>, version: number): TxnRequest[] {
  if (version >= 4) return request['transactions'] as TxnRequest[];
  return [{
    transactionalId: request['v3AndBelowTransactionalId'] as string,
    producerId: request['v3AndBelowProducerId'] as number,
    producerEpoch: request['v3AndBelowProducerEpoch'] as number,
    verifyOnly: false,
    topics: request['v3AndBelowTopics'] as TxnTopic[],
  }];
}

/** The result of every partition of `topics`, each with the error code `codeOf` gives it. */
function resultsOf(topics: TxnTopic[], codeOf: (topic: string, partition: number) => number): object[] {
  return topics.map((t) => ({ name: t.name, resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: codeOf(t.name, p) })) }));
}

/**
 * AddPartitionsToTxn: adds partitions to each named transaction (beginning it on the first add).
 * The engine adds a transaction's partitions all or none, so one error answers all of them. A
 * verify-only entry (v4+) adds nothing: each partition is answered NONE when it is in the
 * transaction already, INVALID_TXN_STATE when not.
 */
export const handleAddPartitionsToTxn: ApiHandler = async (context, request, version) => {
  const results = [];
  for (const txn of transactionsOf(request, version)) {
    const producer = { transactionalId: txn.transactionalId, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
    let topicResults: object[];
    try {
      if (txn.verifyOnly) {
        const [current] = await context.engine.describeTransactions([txn.transactionalId]);
        const inTxn = new Set((current?.partitions ?? []).map((p) => `${p.partition}:${p.topic}`));
        topicResults = resultsOf(txn.topics, (topic, partition) => (inTxn.has(`${partition}:${topic}`) ? ERROR_CODES.NONE : ERROR_CODES.INVALID_TXN_STATE));
      } else {
        await context.engine.addPartitionsToTxn(producer, txn.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition }))));
        topicResults = resultsOf(txn.topics, () => ERROR_CODES.NONE);
      }
    } catch (error) {
      const code = coordinatorCode(kafkaErrorOf(error).code, version, 2);
      topicResults = resultsOf(txn.topics, () => code);
    }
    results.push({ transactionalId: txn.transactionalId, topicResults });
  }
  if (version >= 4) return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, resultsByTransaction: results };
  return { throttleTimeMs: 0, resultsByTopicV3AndBelow: results[0]!.topicResults };
};
