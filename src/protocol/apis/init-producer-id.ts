import type { ApiSchema } from '../schema.ts';

/**
 * InitProducerId (API key 22): a producer id and epoch for idempotent or transactional producers.
 *
 * Served versions 0-5 (v5 only adds the TRANSACTION_ABORTABLE error); flexible (compact strings, arrays and bytes, tagged fields) from v2.
 * Fields as in Kafka's InitProducerIdRequest.json and InitProducerIdResponse.json:
 *
 *   InitProducerIdRequest =>
 *     transactional_id: string (nullable v0+)
 *     transaction_timeout_ms: int32
 *     producer_id: int64 (v3+)
 *     producer_epoch: int16 (v3+)
 *
 *   InitProducerIdResponse =>
 *     throttle_time_ms: int32
 *     error_code: int16
 *     producer_id: int64
 *     producer_epoch: int16
 */
export const initProducerId: ApiSchema = {
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 2,
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+', nullable: '0+', default: null },
    { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '3+', default: -1 },
    { name: 'producerEpoch', type: 'int16', versions: '3+', default: -1 },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+', default: -1 },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
  ],
};
