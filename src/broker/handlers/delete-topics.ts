import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { kafkaErrorOf } from '../error-mapping.ts';
import { topicIdOf } from '../topic-id.ts';

/** DeleteTopics: by name (`topicNames` before v6), or by name or topic id (`topics` from v6). */
export const handleDeleteTopics: ApiHandler = async (context, request, version) => {
  const existing = await context.engine.listTopics();
  const byId = (id: Buffer) => existing.find((name) => topicIdOf(name).equals(id)) ?? null;
  const names = version >= 6
    ? (request['topics'] as Array<{ name: string | null; topicId: Buffer }>).map((t) => t.name ?? byId(t.topicId))
    : (request['topicNames'] as string[]);
  const responses = [];
  for (const name of names) {
    if (name === null) {
      responses.push({ name, topicId: Buffer.alloc(16), errorCode: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'no topic has that id' });
      continue;
    }
    try {
      await context.engine.deleteTopic(name);
      responses.push({ name, topicId: topicIdOf(name), errorCode: ERROR_CODES.NONE, errorMessage: null });
    } catch (error) {
      const { code, message } = kafkaErrorOf(error);
      responses.push({ name, topicId: topicIdOf(name), errorCode: code, errorMessage: message });
    }
  }
  return { throttleTimeMs: 0, responses };
};
