import type { ApiSchema } from '../schema.ts';

/**
 * ApiVersions (API key 18): which APIs and versions the broker serves; the first request of every client.
 *
 * Served versions 0-3; flexible (compact strings, arrays and bytes, tagged fields) from v3.
 * Fields as in Kafka's ApiVersionsRequest.json and ApiVersionsResponse.json:
 *
 *   ApiVersionsRequest =>
 *     client_software_name: string (v3+)
 *     client_software_version: string (v3+)
 *
 *   ApiVersionsResponse =>
 *     error_code: int16
 *     api_keys: [struct]
 *       api_key: int16
 *       min_version: int16
 *       max_version: int16
 *     throttle_time_ms: int32 (v1+)
 *     supported_features: [struct] (v3+, tag 0)
 *       name: string (v3+)
 *       min_version: int16 (v3+)
 *       max_version: int16 (v3+)
 *     finalized_features_epoch: int64 (v3+, tag 1)
 *     finalized_features: [struct] (v3+, tag 2)
 *       name: string (v3+)
 *       max_version_level: int16 (v3+)
 *       min_version_level: int16 (v3+)
 *     zk_migration_ready: bool (v3+, tag 3)
 */
export const apiVersions: ApiSchema = {
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 3,
  request: [
    { name: 'clientSoftwareName', type: 'string', versions: '3+' },
    { name: 'clientSoftwareVersion', type: 'string', versions: '3+' },
  ],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'apiKeys', type: 'array', versions: '0+', fields: [
      { name: 'apiKey', type: 'int16', versions: '0+' },
      { name: 'minVersion', type: 'int16', versions: '0+' },
      { name: 'maxVersion', type: 'int16', versions: '0+' },
    ] },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'supportedFeatures', type: 'array', versions: '3+', tag: 0, taggedVersions: '3+', fields: [
      { name: 'name', type: 'string', versions: '3+' },
      { name: 'minVersion', type: 'int16', versions: '3+' },
      { name: 'maxVersion', type: 'int16', versions: '3+' },
    ] },
    { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', tag: 1, taggedVersions: '3+', default: -1 },
    { name: 'finalizedFeatures', type: 'array', versions: '3+', tag: 2, taggedVersions: '3+', fields: [
      { name: 'name', type: 'string', versions: '3+' },
      { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
      { name: 'minVersionLevel', type: 'int16', versions: '3+' },
    ] },
    { name: 'zkMigrationReady', type: 'bool', versions: '3+', tag: 3, taggedVersions: '3+', default: false },
  ],
};
