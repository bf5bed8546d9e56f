import { ERROR_CODES } from '../../protocol/index.ts';
import type { TransactionState } from '../../log/index.ts';
import type { ApiHandler } from './handler.ts';
import { kafkaErrorOf } from '../error-mapping.ts';

/** The state names Kafka's coordinator reports (the response's `transaction_state`). */
const STATES: readonly TransactionState[] = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence'];

/**
 * ListTransactions: the transactional ids the coordinator knows, filtered by state and producer id
 * (empty filters match all) and, from v1, to transactions open longer than `duration_filter` ms.
 * State names it does not know are echoed back in `unknown_state_filters`.
 */
export const handleListTransactions: ApiHandler = async (context, request) => {
  const stateFilters = request['stateFilters'] as string[];
  const states = stateFilters.filter((s): s is TransactionState => (STATES as readonly string[]).includes(s));
  const unknownStateFilters = stateFilters.filter((s) => !(STATES as readonly string[]).includes(s));
  const producerIds = request['producerIdFilters'] as number[];
  const durationMs = (request['durationFilter'] as number | undefined) ?? -1;
  // Only unknown names asked for: nothing can match (an empty filter would match everything).
  if (stateFilters.length > 0 && states.length === 0) return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, unknownStateFilters, transactionStates: [] };
  try {
    const listed = await context.engine.listTransactions({ states, producerIds });
    const openSince = Date.now() - durationMs;
    const matching = durationMs < 0 ? listed : listed.filter((t) => t.startTimeMs >= 0 && t.startTimeMs <= openSince);
    return {
      throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, unknownStateFilters,
      transactionStates: matching.map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.state })),
    };
  } catch (error) {
    return { throttleTimeMs: 0, errorCode: kafkaErrorOf(error).code, unknownStateFilters, transactionStates: [] };
  }
};
