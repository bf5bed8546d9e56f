import type { ApiSchema } from '../schema.ts';

/**
 * LeaveGroup (API key 13): removes members from a consumer group at once.
 *
 * Served versions 0-5; flexible (compact strings, arrays and bytes, tagged fields) from v4.
 * Fields as in Kafka's LeaveGroupRequest.json and LeaveGroupResponse.json:
 *
 *   LeaveGroupRequest =>
 *     group_id: string
 *     member_id: string (v0-2)
 *     members: [struct] (v3+)
 *       member_id: string (v3+)
 *       group_instance_id: string (v3+, nullable v3+)
 *       reason: string (v5+, nullable v5+)
 *
 *   LeaveGroupResponse =>
 *     throttle_time_ms: int32 (v1+)
 *     error_code: int16
 *     members: [struct] (v3+)
 *       member_id: string (v3+)
 *       group_instance_id: string (v3+, nullable v3+)
 *       error_code: int16 (v3+)
 */
export const leaveGroup: ApiSchema = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 4,
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0-2' },
    { name: 'members', type: 'array', versions: '3+', fields: [
      { name: 'memberId', type: 'string', versions: '3+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+', default: null },
      { name: 'reason', type: 'string', versions: '5+', nullable: '5+', default: null },
    ] },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'members', type: 'array', versions: '3+', fields: [
      { name: 'memberId', type: 'string', versions: '3+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+' },
      { name: 'errorCode', type: 'int16', versions: '3+' },
    ] },
  ],
};
