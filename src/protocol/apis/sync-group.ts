import type { ApiSchema } from '../schema.ts';

/**
 * SyncGroup (API key 14): hands every member its assignment, chosen by the group leader.
 *
 * Served versions 0-5; flexible (compact strings, arrays and bytes, tagged fields) from v4.
 * Fields as in Kafka's SyncGroupRequest.json and SyncGroupResponse.json:
 *
 *   SyncGroupRequest =>
 *     group_id: string
 *     generation_id: int32
 *     member_id: string
 *     group_instance_id: string (v3+, nullable v3+)
 *     protocol_type: string (v5+, nullable v5+)
 *     protocol_name: string (v5+, nullable v5+)
 *     assignments: [struct]
 *       member_id: string
 *       assignment: bytes
 *
 *   SyncGroupResponse =>
 *     throttle_time_ms: int32 (v1+)
 *     error_code: int16
 *     protocol_type: string (v5+, nullable v5+)
 *     protocol_name: string (v5+, nullable v5+)
 *     assignment: bytes
 */
export const syncGroup: ApiSchema = {
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 4,
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+', default: null },
    { name: 'protocolType', type: 'string', versions: '5+', nullable: '5+', default: null },
    { name: 'protocolName', type: 'string', versions: '5+', nullable: '5+', default: null },
    { name: 'assignments', type: 'array', versions: '0+', fields: [
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'assignment', type: 'bytes', versions: '0+' },
    ] },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'protocolType', type: 'string', versions: '5+', nullable: '5+', default: null },
    { name: 'protocolName', type: 'string', versions: '5+', nullable: '5+', default: null },
    { name: 'assignment', type: 'bytes', versions: '0+' },
  ],
};
