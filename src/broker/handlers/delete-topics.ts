import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { kafkaErrorOf } from '../error-mapping.ts';

/** DeleteTopics: by name (`topicNames` before v6, `topics` from v6; topic ids are not supported). */
export const handleDeleteTopics: ApiHandler = async (context, request, version) => {
  const names = version >= 6 ? (request['topics'] as Array<{ name: string | null }>).map((t) => t.name) : (request['topicNames'] as string[]);
  const responses = [];
  for (const name of names) {
    if (name === null) {
      responses.push({ name, topicId: Buffer.alloc(16), errorCode: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'topics are deleted by name on this broker' });
      continue;
    }
    try {
      await context.engine.deleteTopic(name);
      responses.push({ name, topicId: Buffer.alloc(16), errorCode: ERROR_CODES.NONE, errorMessage: null });
    } catch (error) {
      const { code, message } = kafkaErrorOf(error);
      responses.push({ name, topicId: Buffer.alloc(16), errorCode: code, errorMessage: message });
    }
  }
  return { throttleTimeMs: 0, responses };
};
