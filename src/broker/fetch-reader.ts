import { ERROR_CODES } from '../protocol/index.ts';
import type { BrokerContext } from './broker-context.ts';
import { kafkaErrorOf } from './error-mapping.ts';
import { topicIdOf } from './topic-id.ts';

interface FetchPartition { partition: number; fetchOffset: number; partitionMaxBytes: number }
export interface FetchTopic { topic: string; topicId: Buffer; partitions: FetchPartition[] }

/** What one Fetch may still return: bytes left, and whether a batch larger than that may still go (only the first). */
interface Budget { bytes: number; oversizedAllowed: boolean }

const NO_DATA = { highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: [], preferredReadReplica: -1, records: null as Buffer | null };

/** One partition's answer, read straight from the stored batch bytes. */
async function readPartition(context: BrokerContext, topic: string, p: FetchPartition, budget: Budget): Promise<{ response: object; bytes: number }> {
  if (topic === '') return { response: { partitionIndex: p.partition, errorCode: ERROR_CODES.UNKNOWN_TOPIC_ID, ...NO_DATA }, bytes: 0 };
  const base = { partitionIndex: p.partition, ...NO_DATA };
  try {
    const { earliest, latest } = await context.engine.listOffsets(topic, p.partition);
    const positions = { highWatermark: latest, lastStableOffset: latest, logStartOffset: earliest };
    if (p.fetchOffset < earliest || p.fetchOffset > latest) {
      return { response: { ...base, ...positions, errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE }, bytes: 0 };
    }
    const maxBytes = Math.max(0, Math.min(p.partitionMaxBytes, budget.bytes));
    // As in Kafka (KIP-74), only the first partition with data may return a batch larger than the budget.
    const records = p.fetchOffset === latest || maxBytes === 0 ? Buffer.alloc(0) : (await context.engine.fetchBatches(topic, p.partition, p.fetchOffset, maxBytes, budget.oversizedAllowed)).bytes;
    budget.bytes -= records.length;
    if (records.length > 0) budget.oversizedAllowed = false;
    return { response: { ...base, ...positions, errorCode: ERROR_CODES.NONE, records }, bytes: records.length };
  } catch (error) {
    return { response: { ...base, errorCode: kafkaErrorOf(error).code }, bytes: 0 };
  }
}

/**
 * Reads every requested partition of one Fetch within `maxBytes`: stored batch bytes, never
 * re-encoded; the first partition with data may exceed the budget by one batch, no other may; a
 * partition named twice is read once and its repeats answered INVALID_REQUEST.
 */
export async function readFetch(context: BrokerContext, topics: FetchTopic[], maxBytes: number): Promise<{ responses: object[]; bytes: number }> {
  const budget: Budget = { bytes: maxBytes, oversizedAllowed: true };
  const seen = new Set<string>();
  let bytes = 0;
  const responses = [];
  for (const topic of topics) {
    const partitions = [];
    for (const p of topic.partitions) {
      // A partition named twice in one request is answered once; the repeats are refused.
      const key = `${p.partition}:${topic.topic}`;
      if (seen.has(key)) {
        partitions.push({ partitionIndex: p.partition, errorCode: ERROR_CODES.INVALID_REQUEST, ...NO_DATA });
        continue;
      }
      seen.add(key);
      const read = await readPartition(context, topic.topic, p, budget);
      bytes += read.bytes;
      partitions.push(read.response);
    }
    responses.push({ topic: topic.topic, topicId: topic.topic === '' ? topic.topicId : topicIdOf(topic.topic), partitions });
  }
  return { responses, bytes };
}

