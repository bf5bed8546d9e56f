import type { ApiSchema } from '../schema.ts';

/**
 * DeleteRecords (API key 21): moves partitions' log start offsets forward, deleting the records
 * before them — how Kafka Streams purges repartition topics it has consumed.
 *
 * Served versions 0-2; flexible (compact strings and arrays, tagged fields) from v2.
 * Fields as in Kafka's DeleteRecordsRequest.json and DeleteRecordsResponse.json:
 *
 *   DeleteRecordsRequest =>
 *     topics: [struct]
 *       name: string
 *       partitions: [struct]
 *         partition_index: int32
 *         offset: int64 (delete records before it; -1 means the high watermark)
 *     timeout_ms: int32
 *
 *   DeleteRecordsResponse =>
 *     throttle_time_ms: int32
 *     topics: [struct]
 *       name: string
 *       partitions: [struct]
 *         partition_index: int32
 *         low_watermark: int64
 *         error_code: int16
 */
export const deleteRecords: ApiSchema = {
  apiKey: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  request: [
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'offset', type: 'int64', versions: '0+' },
      ] },
    ] },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'lowWatermark', type: 'int64', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
      ] },
    ] },
  ],
};
