import type { ApiSchema } from '../schema.ts';

/**
 * JoinGroup (API key 11): joins a consumer group; the first step of a rebalance.
 *
 * Served versions 0-9; flexible (compact strings, arrays and bytes, tagged fields) from v6.
 * Fields as in Kafka's JoinGroupRequest.json and JoinGroupResponse.json:
 *
 *   JoinGroupRequest =>
 *     group_id: string
 *     session_timeout_ms: int32
 *     rebalance_timeout_ms: int32 (v1+)
 *     member_id: string
 *     group_instance_id: string (v5+, nullable v5+)
 *     protocol_type: string
 *     protocols: [struct]
 *       name: string
 *       metadata: bytes
 *     reason: string (v8+, nullable v8+)
 *
 *   JoinGroupResponse =>
 *     throttle_time_ms: int32 (v2+)
 *     error_code: int16
 *     generation_id: int32
 *     protocol_type: string (v7+, nullable v7+)
 *     protocol_name: string (nullable v7+)
 *     leader: string
 *     skip_assignment: bool (v9+)
 *     member_id: string
 *     members: [struct]
 *       member_id: string
 *       group_instance_id: string (v5+, nullable v5+)
 *       metadata: bytes
 */
export const joinGroup: ApiSchema = {
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  flexibleFrom: 6,
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'sessionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'rebalanceTimeoutMs', type: 'int32', versions: '1+', default: -1 },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '5+', nullable: '5+', default: null },
    { name: 'protocolType', type: 'string', versions: '0+' },
    { name: 'protocols', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'metadata', type: 'bytes', versions: '0+' },
    ] },
    { name: 'reason', type: 'string', versions: '8+', nullable: '8+', default: null },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+', default: -1 },
    { name: 'protocolType', type: 'string', versions: '7+', nullable: '7+', default: null },
    { name: 'protocolName', type: 'string', versions: '0+', nullable: '7+' },
    { name: 'leader', type: 'string', versions: '0+' },
    { name: 'skipAssignment', type: 'bool', versions: '9+', default: false },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'members', type: 'array', versions: '0+', fields: [
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'groupInstanceId', type: 'string', versions: '5+', nullable: '5+', default: null },
      { name: 'metadata', type: 'bytes', versions: '0+' },
    ] },
  ],
};
