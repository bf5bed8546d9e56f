import { ERROR_CODES } from '../../protocol/index.ts';
import { readFetch, type FetchTopic } from '../fetch-reader.ts';
import type { ApiHandler } from './handler.ts';
import { topicIdOf } from '../topic-id.ts';
import { isolationLevelOf } from '../isolation-level.ts';

/**
 * Fetch: record batches from each partition, served as stored (never re-encoded). When fewer than
 * `minBytes` are ready, waits for appends to the requested partitions and reads again, until
 * `minBytes` are ready or `maxWaitMs` has passed (long poll). The response holds at most
 * `max_bytes` (capped to the broker's `fetch.max.bytes`) of batches, plus — for the first partition
 * with data only — one batch larger than that, so a large record never blocks a consumer. A partition named twice is answered once,
 * its repeats with INVALID_REQUEST. Fetch sessions are not kept: session id 0, so clients send full requests.
 * From v13 topics are named by id instead of by name. Isolation level 1 (read_committed) reads up
 * to the last stable offset and lists the aborted transactions in the returned range.
 */
export const handleFetch: ApiHandler = async (context, request, version) => {
  const requested = request['topics'] as FetchTopic[];
  // From v13 topics are named by id; the id is derived from the name (topic-id.ts).
  const names = version >= 13 ? await context.engine.listTopics() : [];
  const topics = version < 13 ? requested : requested.map((t) => ({ ...t, topic: names.find((name) => topicIdOf(name).equals(t.topicId)) ?? '' }));
  const maxBytes = Math.min((request['maxBytes'] as number | undefined) ?? 0x7fffffff, context.fetchMaxBytes);
  const minBytes = (request['minBytes'] as number) ?? 1;
  const maxWaitMs = (request['maxWaitMs'] as number) ?? 0;
  const isolationLevel = isolationLevelOf(request['isolationLevel']);
  let result = await readFetch(context, topics, maxBytes, isolationLevel);
  const deadline = Date.now() + maxWaitMs;
  // An append may bring nothing readable (under read_committed, data of a transaction still open): wait on.
  for (let left = maxWaitMs; result.bytes < minBytes && left > 0; left = deadline - Date.now()) {
    const abort = new AbortController();
    // An unknown topic or partition was answered with an error above; it never ends the wait.
    const waits = topics.flatMap((t) => t.partitions.map((p) => Promise.resolve().then(() => context.engine.waitForData(t.topic, p.partition, left, abort.signal)).catch(() => new Promise<void>(() => undefined))));
    await Promise.race([...waits, new Promise((resolve) => setTimeout(resolve, left).unref())]);
    abort.abort();
    result = await readFetch(context, topics, maxBytes, isolationLevel);
  }
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, sessionId: 0, responses: result.responses };
};
