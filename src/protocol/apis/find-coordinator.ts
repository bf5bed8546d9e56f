import type { ApiSchema } from '../schema.ts';

/**
 * FindCoordinator (API key 10): the broker that coordinates a consumer group (or transactions).
 *
 * Served versions 0-4; flexible (compact strings, arrays and bytes, tagged fields) from v3.
 * Fields as in Kafka's FindCoordinatorRequest.json and FindCoordinatorResponse.json:
 *
 *   FindCoordinatorRequest =>
 *     key: string (v0-3)
 *     key_type: int8 (v1+)
 *     coordinator_keys: [string] (v4+)
 *
 *   FindCoordinatorResponse =>
 *     throttle_time_ms: int32 (v1+)
 *     error_code: int16 (v0-3)
 *     error_message: string (v1-3, nullable v1-3)
 *     node_id: int32 (v0-3)
 *     host: string (v0-3)
 *     port: int32 (v0-3)
 *     coordinators: [struct] (v4+)
 *       key: string (v4+)
 *       node_id: int32 (v4+)
 *       host: string (v4+)
 *       port: int32 (v4+)
 *       error_code: int16 (v4+)
 *       error_message: string (v4+, nullable v4+)
 */
export const findCoordinator: ApiSchema = {
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 3,
  request: [
    { name: 'key', type: 'string', versions: '0-3' },
    { name: 'keyType', type: 'int8', versions: '1+', default: 0 },
    { name: 'coordinatorKeys', type: 'array', items: 'string', versions: '4+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0-3' },
    { name: 'errorMessage', type: 'string', versions: '1-3', nullable: '1-3' },
    { name: 'nodeId', type: 'int32', versions: '0-3' },
    { name: 'host', type: 'string', versions: '0-3' },
    { name: 'port', type: 'int32', versions: '0-3' },
    { name: 'coordinators', type: 'array', versions: '4+', fields: [
      { name: 'key', type: 'string', versions: '4+' },
      { name: 'nodeId', type: 'int32', versions: '4+' },
      { name: 'host', type: 'string', versions: '4+' },
      { name: 'port', type: 'int32', versions: '4+' },
      { name: 'errorCode', type: 'int16', versions: '4+' },
      { name: 'errorMessage', type: 'string', versions: '4+', nullable: '4+' },
    ] },
  ],
};
