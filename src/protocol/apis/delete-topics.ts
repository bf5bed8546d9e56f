import type { ApiSchema } from '../schema.ts';

/**
 * DeleteTopics (API key 20): deletes topics by name.
 *
 * Served versions 0-6; flexible (compact strings, arrays and bytes, tagged fields) from v4.
 * Fields as in Kafka's DeleteTopicsRequest.json and DeleteTopicsResponse.json:
 *
 *   DeleteTopicsRequest =>
 *     topics: [struct] (v6+)
 *       name: string (v6+, nullable v6+)
 *       topic_id: uuid (v6+)
 *     topic_names: [string] (v0-5)
 *     timeout_ms: int32
 *
 *   DeleteTopicsResponse =>
 *     throttle_time_ms: int32 (v1+)
 *     responses: [struct]
 *       name: string (nullable v6+)
 *       topic_id: uuid (v6+)
 *       error_code: int16
 *       error_message: string (v5+, nullable v5+)
 */
export const deleteTopics: ApiSchema = {
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 6,
  flexibleFrom: 4,
  request: [
    { name: 'topics', type: 'array', versions: '6+', fields: [
      { name: 'name', type: 'string', versions: '6+', nullable: '6+', default: null },
      { name: 'topicId', type: 'uuid', versions: '6+' },
    ] },
    { name: 'topicNames', type: 'array', items: 'string', versions: '0-5' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'responses', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+', nullable: '6+' },
      { name: 'topicId', type: 'uuid', versions: '6+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '5+', nullable: '5+', default: null },
    ] },
  ],
};
