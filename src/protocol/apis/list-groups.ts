import type { ApiSchema } from '../schema.ts';

/**
 * ListGroups (API key 16): the consumer groups the broker coordinates.
 *
 * Served versions 0-4; flexible (compact strings, arrays and bytes, tagged fields) from v3.
 * Fields as in Kafka's ListGroupsRequest.json and ListGroupsResponse.json:
 *
 *   ListGroupsRequest =>
 *     states_filter: [string] (v4+)
 *     types_filter: [string] (v5+)
 *
 *   ListGroupsResponse =>
 *     throttle_time_ms: int32 (v1+)
 *     error_code: int16
 *     groups: [struct]
 *       group_id: string
 *       protocol_type: string
 *       group_state: string (v4+)
 *       group_type: string (v5+)
 */
export const listGroups: ApiSchema = {
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 3,
  request: [
    { name: 'statesFilter', type: 'array', items: 'string', versions: '4+' },
    { name: 'typesFilter', type: 'array', items: 'string', versions: '5+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'groups', type: 'array', versions: '0+', fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'protocolType', type: 'string', versions: '0+' },
      { name: 'groupState', type: 'string', versions: '4+' },
      { name: 'groupType', type: 'string', versions: '5+' },
    ] },
  ],
};
