import type { ApiSchema } from '../schema.ts';

/**
 * DescribeConfigs (API key 32): the configuration of topics (and brokers), as `kafka-topics
 * --describe`, `kafka-configs` and Admin.describeConfigs ask for it.
 *
 * Served versions 0-4; flexible (compact strings and arrays, tagged fields) from v4.
 * Fields as in Kafka's DescribeConfigsRequest.json and DescribeConfigsResponse.json:
 *
 *   DescribeConfigsRequest =>
 *     resources: [struct]
 *       resource_type: int8 (2 = topic, 4 = broker)
 *       resource_name: string
 *       configuration_keys: [string] (nullable: null lists every key)
 *     include_synonyms: bool (v1+)
 *     include_documentation: bool (v3+)
 *
 *   DescribeConfigsResponse =>
 *     throttle_time_ms: int32
 *     results: [struct]
 *       error_code: int16
 *       error_message: string (nullable)
 *       resource_type: int8
 *       resource_name: string
 *       configs: [struct]
 *         name: string
 *         value: string (nullable)
 *         read_only: bool
 *         is_default: bool (v0 only)
 *         config_source: int8 (v1+)
 *         is_sensitive: bool
 *         synonyms: [struct] (v1+): name: string, value: string (nullable), source: int8
 *         config_type: int8 (v3+)
 *         documentation: string (v3+, nullable)
 */
export const describeConfigs: ApiSchema = {
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 4,
  request: [
    { name: 'resources', type: 'array', versions: '0+', fields: [
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
      { name: 'configurationKeys', type: 'array', items: 'string', versions: '0+', nullable: '0+', default: null },
    ] },
    { name: 'includeSynonyms', type: 'bool', versions: '1+', default: false },
    { name: 'includeDocumentation', type: 'bool', versions: '3+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'results', type: 'array', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullable: '0+', default: null },
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
      { name: 'configs', type: 'array', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'value', type: 'string', versions: '0+', nullable: '0+' },
        { name: 'readOnly', type: 'bool', versions: '0+' },
        { name: 'isDefault', type: 'bool', versions: '0', default: false },
        { name: 'configSource', type: 'int8', versions: '1+', default: -1 },
        { name: 'isSensitive', type: 'bool', versions: '0+', default: false },
        { name: 'synonyms', type: 'array', versions: '1+', default: [], fields: [
          { name: 'name', type: 'string', versions: '1+' },
          { name: 'value', type: 'string', versions: '1+', nullable: '0+' },
          { name: 'source', type: 'int8', versions: '1+' },
        ] },
        { name: 'configType', type: 'int8', versions: '3+', default: 0 },
        { name: 'documentation', type: 'string', versions: '3+', nullable: '0+', default: null },
      ] },
    ] },
  ],
};
