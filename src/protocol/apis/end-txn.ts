import type { ApiSchema } from '../schema.ts';

/**
 * EndTxn (API key 26): commits or aborts a producer's open transaction (markers to every partition
 * in it, then its pending group offsets applied or dropped).
 *
 * Served versions 0-4; flexible (compact strings, arrays and bytes, tagged fields) from v3.
 * Version 5 (an epoch bump on every transaction, KIP-890 part 2) is not advertised, so clients
 * keep one epoch per InitProducerId.
 * Fields as in Kafka's EndTxnRequest.json and EndTxnResponse.json:
 *
 *   EndTxnRequest =>
 *     transactional_id: string
 *     producer_id: int64
 *     producer_epoch: int16
 *     committed: bool
 *
 *   EndTxnResponse =>
 *     throttle_time_ms: int32
 *     error_code: int16
 */
export const endTxn: ApiSchema = {
  apiKey: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 3,
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'committed', type: 'bool', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
};
