import type { IsolationLevel } from '../log/index.ts';
import { ERROR_CODES } from '../protocol/index.ts';
import type { BrokerContext } from './broker-context.ts';
import { kafkaErrorOf } from './error-mapping.ts';
import { topicIdOf } from './topic-id.ts';

interface FetchPartition { partition: number; fetchOffset: number; partitionMaxBytes: number }
export interface FetchTopic { topic: string; topicId: Buffer; partitions: FetchPartition[] }

/** What one Fetch may still return: bytes left, and whether a batch larger than that may still go (only the first). */
interface Budget { bytes: number; oversizedAllowed: boolean }

const NO_DATA = { highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, preferredReadReplica: -1, records: null as Buffer | null };

/**
 * One partition's answer, read straight from the stored batch bytes. Under read_committed the bytes
 * stop at the last stable offset and come with the aborted transactions they overlap (clients drop
 * those batches, as with Kafka); under read_uncommitted the aborted list is null, as Kafka sends it.
 */
async function readPartition(context: BrokerContext, topic: string, p: FetchPartition, budget: Budget, isolationLevel: IsolationLevel): Promise<{ response: object; bytes: number }> {
  if (topic === '') return { response: { partitionIndex: p.partition, errorCode: ERROR_CODES.UNKNOWN_TOPIC_ID, ...NO_DATA }, bytes: 0 };
  const base = { partitionIndex: p.partition, ...NO_DATA };
  try {
    const { earliest, latest } = await context.engine.listOffsets(topic, p.partition);
    const positions = { highWatermark: latest, lastStableOffset: context.engine.lastStableOffset(topic, p.partition), logStartOffset: earliest };
    if (p.fetchOffset < earliest || p.fetchOffset > latest) {
      return { response: { ...base, ...positions, errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE }, bytes: 0 };
    }
    const maxBytes = Math.max(0, Math.min(p.partitionMaxBytes, budget.bytes));
    const readable = isolationLevel === 'read_committed' ? positions.lastStableOffset : latest;
    // As in Kafka (KIP-74), only the first partition with data may return a batch larger than the budget.
    const read = p.fetchOffset >= readable || maxBytes === 0
      ? { bytes: Buffer.alloc(0), abortedTransactions: [], lastStableOffset: positions.lastStableOffset }
      : await context.engine.fetchBatches(topic, p.partition, p.fetchOffset, maxBytes, budget.oversizedAllowed, isolationLevel);
    budget.bytes -= read.bytes.length;
    if (read.bytes.length > 0) budget.oversizedAllowed = false;
    const abortedTransactions = isolationLevel === 'read_committed' ? read.abortedTransactions : null;
    return {
      response: { ...base, ...positions, lastStableOffset: read.lastStableOffset, errorCode: ERROR_CODES.NONE, abortedTransactions, records: read.bytes },
      bytes: read.bytes.length,
    };
  } catch (error) {
    return { response: { ...base, errorCode: kafkaErrorOf(error).code }, bytes: 0 };
  }
}

/**
 * Reads every requested partition of one Fetch within `maxBytes`: stored batch bytes, never
 * re-encoded; the first partition with data may exceed the budget by one batch, no other may; a
 * partition named twice is read once and its repeats answered INVALID_REQUEST.
 * `isolationLevel` read_committed reads up to each partition's last stable offset.
 */
export async function readFetch(context: BrokerContext, topics: FetchTopic[], maxBytes: number, isolationLevel: IsolationLevel): Promise<{ responses: object[]; bytes: number }> {
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
      const read = await readPartition(context, topic.topic, p, budget, isolationLevel);
      bytes += read.bytes;
      partitions.push(read.response);
    }
    responses.push({ topic: topic.topic, topicId: topic.topic === '' ? topic.topicId : topicIdOf(topic.topic), partitions });
  }
  return { responses, bytes };
}

