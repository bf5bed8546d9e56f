import type { ApiSchema } from '../schema.ts';

/**
 * AddOffsetsToTxn (API key 25): adds a consumer group to a producer's open transaction, so the
 * offsets it then sends with TxnOffsetCommit commit or abort with the transaction.
 *
 * Served versions 0-4; flexible (compact strings, arrays and bytes, tagged fields) from v3.
 * Fields as in Kafka's AddOffsetsToTxnRequest.json and AddOffsetsToTxnResponse.json:
 *
 *   AddOffsetsToTxnRequest =>
 *     transactional_id: string
 *     producer_id: int64
 *     producer_epoch: int16
 *     group_id: string
 *
 *   AddOffsetsToTxnResponse =>
 *     throttle_time_ms: int32
 *     error_code: int16
 */
export const addOffsetsToTxn: ApiSchema = {
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 3,
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'groupId', type: 'string', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
};
