import type { ApiSchema } from '../schema.ts';

/**
 * DescribeGroups (API key 15): state, protocol and members of consumer groups.
 *
 * Served versions 0-5; flexible (compact strings, arrays and bytes, tagged fields) from v5.
 * Fields as in Kafka's DescribeGroupsRequest.json and DescribeGroupsResponse.json:
 *
 *   DescribeGroupsRequest =>
 *     groups: [string]
 *     include_authorized_operations: bool (v3+)
 *
 *   DescribeGroupsResponse =>
 *     throttle_time_ms: int32 (v1+)
 *     groups: [struct]
 *       error_code: int16
 *       group_id: string
 *       group_state: string
 *       protocol_type: string
 *       protocol_data: string
 *       members: [struct]
 *         member_id: string
 *         group_instance_id: string (v4+, nullable v4+)
 *         client_id: string
 *         client_host: string
 *         member_metadata: bytes
 *         member_assignment: bytes
 *       authorized_operations: int32 (v3+)
 */
export const describeGroups: ApiSchema = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 5,
  request: [
    { name: 'groups', type: 'array', items: 'string', versions: '0+' },
    { name: 'includeAuthorizedOperations', type: 'bool', versions: '3+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'groups', type: 'array', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'groupState', type: 'string', versions: '0+' },
      { name: 'protocolType', type: 'string', versions: '0+' },
      { name: 'protocolData', type: 'string', versions: '0+' },
      { name: 'members', type: 'array', versions: '0+', fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'groupInstanceId', type: 'string', versions: '4+', nullable: '4+', default: null },
        { name: 'clientId', type: 'string', versions: '0+' },
        { name: 'clientHost', type: 'string', versions: '0+' },
        { name: 'memberMetadata', type: 'bytes', versions: '0+' },
        { name: 'memberAssignment', type: 'bytes', versions: '0+' },
      ] },
      { name: 'authorizedOperations', type: 'int32', versions: '3+', default: -2147483648 },
    ] },
  ],
};
