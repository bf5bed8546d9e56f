import type { ApiSchema } from '../schema.ts';

/**
 * Heartbeat (API key 12): keeps a group member alive and tells it when to rebalance.
 *
 * Served versions 0-4; flexible (compact strings, arrays and bytes, tagged fields) from v4.
 * Fields as in Kafka's HeartbeatRequest.json and HeartbeatResponse.json:
 *
 *   HeartbeatRequest =>
 *     group_id: string
 *     generation_id: int32
 *     member_id: string
 *     group_instance_id: string (v3+, nullable v3+)
 *
 *   HeartbeatResponse =>
 *     throttle_time_ms: int32 (v1+)
 *     error_code: int16
 */
export const heartbeat: ApiSchema = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 4,
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+', default: null },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
};
