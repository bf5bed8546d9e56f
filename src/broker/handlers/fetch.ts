import { ERROR_CODES } from '../../protocol/index.ts';
import type { BrokerContext } from '../broker-context.ts';
import { kafkaErrorOf } from '../error-mapping.ts';
import type { ApiHandler } from './handler.ts';
import { topicIdOf } from '../topic-id.ts';

interface FetchPartition { partition: number; fetchOffset: number; partitionMaxBytes: number }
interface FetchTopic { topic: string; topicId: Buffer; partitions: FetchPartition[] }

/** One partition's answer, read straight from the stored batch bytes. */
async function readPartition(context: BrokerContext, topic: string, p: FetchPartition, budget: { bytes: number }): Promise<{ response: object; bytes: number }> {
  if (topic === '') return { response: { partitionIndex: p.partition, errorCode: ERROR_CODES.UNKNOWN_TOPIC_ID, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: [], preferredReadReplica: -1, records: null }, bytes: 0 };
  const base = { partitionIndex: p.partition, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: [], preferredReadReplica: -1, records: null as Buffer | null };
  try {
    const { earliest, latest } = await context.engine.listOffsets(topic, p.partition);
    const positions = { highWatermark: latest, lastStableOffset: latest, logStartOffset: earliest };
    if (p.fetchOffset < earliest || p.fetchOffset > latest) {
      return { response: { ...base, ...positions, errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE }, bytes: 0 };
    }
    const maxBytes = Math.max(0, Math.min(p.partitionMaxBytes, budget.bytes));
    const records = p.fetchOffset === latest || maxBytes === 0 ? Buffer.alloc(0) : await context.engine.fetchBatches(topic, p.partition, p.fetchOffset, maxBytes);
    budget.bytes -= records.length;
    return { response: { ...base, ...positions, errorCode: ERROR_CODES.NONE, records }, bytes: records.length };
  } catch (error) {
    return { response: { ...base, errorCode: kafkaErrorOf(error).code }, bytes: 0 };
  }
}

async function readAll(context: BrokerContext, topics: FetchTopic[], maxBytes: number): Promise<{ responses: object[]; bytes: number }> {
  const budget = { bytes: maxBytes };
  let bytes = 0;
  const responses = [];
  for (const topic of topics) {
    const partitions = [];
    for (const p of topic.partitions) {
      const read = await readPartition(context, topic.topic, p, budget);
      bytes += read.bytes;
      partitions.push(read.response);
    }
    responses.push({ topic: topic.topic, topicId: topic.topic === '' ? topic.topicId : topicIdOf(topic.topic), partitions });
  }
  return { responses, bytes };
}

/**
 * Fetch: record batches from each partition, served as stored (never re-encoded). When fewer than
 * `minBytes` are ready, waits up to `maxWaitMs` for an append to any requested partition, then
 * reads again (long poll). Fetch sessions are not kept: session id 0, so clients send full requests.
 * From v13 topics are named by id instead of by name.
 */
export const handleFetch: ApiHandler = async (context, request, version) => {
  const requested = request['topics'] as FetchTopic[];
  // From v13 topics are named by id; the id is derived from the name (topic-id.ts).
  const names = version >= 13 ? await context.engine.listTopics() : [];
  const topics = version < 13 ? requested : requested.map((t) => ({ ...t, topic: names.find((name) => topicIdOf(name).equals(t.topicId)) ?? '' }));
  const maxBytes = (request['maxBytes'] as number | undefined) ?? 0x7fffffff;
  const minBytes = (request['minBytes'] as number) ?? 1;
  const maxWaitMs = (request['maxWaitMs'] as number) ?? 0;
  let result = await readAll(context, topics, maxBytes);
  if (result.bytes < minBytes && maxWaitMs > 0) {
    const abort = new AbortController();
    // An unknown topic or partition was answered with an error above; waiting on it is skipped.
    const waits = topics.flatMap((t) => t.partitions.map((p) => Promise.resolve().then(() => context.engine.waitForData(t.topic, p.partition, maxWaitMs, abort.signal)).catch(() => undefined)));
    await Promise.race([...waits, new Promise((resolve) => setTimeout(resolve, maxWaitMs).unref())]);
    abort.abort();
    result = await readAll(context, topics, maxBytes);
  }
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, sessionId: 0, responses: result.responses };
};
