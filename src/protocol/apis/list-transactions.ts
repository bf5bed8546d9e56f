import type { ApiSchema } from '../schema.ts';

/**
 * ListTransactions (API key 66): the transactional ids the coordinator knows, filtered by state,
 * producer id, or (v1) how long their transaction has been open (`kafka-transactions.sh list`).
 *
 * Served versions 0-1, flexible (compact strings, arrays and bytes, tagged fields) from v0.
 * Fields as in Kafka's ListTransactionsRequest.json and ListTransactionsResponse.json:
 *
 *   ListTransactionsRequest =>
 *     state_filters: [string]
 *     producer_id_filters: [int64]
 *     duration_filter: int64 (v1+)
 *
 *   ListTransactionsResponse =>
 *     throttle_time_ms: int32
 *     error_code: int16
 *     unknown_state_filters: [string]
 *     transaction_states: [struct]
 *       transactional_id: string
 *       producer_id: int64
 *       transaction_state: string
 */
export const listTransactions: ApiSchema = {
  apiKey: 66,
  name: 'ListTransactions',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 0,
  request: [
    { name: 'stateFilters', type: 'array', items: 'string', versions: '0+' },
    { name: 'producerIdFilters', type: 'array', items: 'int64', versions: '0+' },
    { name: 'durationFilter', type: 'int64', versions: '1+', default: -1 },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'unknownStateFilters', type: 'array', items: 'string', versions: '0+' },
    { name: 'transactionStates', type: 'array', versions: '0+', fields: [
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'transactionState', type: 'string', versions: '0+' },
    ] },
  ],
};
