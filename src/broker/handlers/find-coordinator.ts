import { ERROR_CODES } from '../../protocol/index.ts';
import { NODE_ID } from '../broker-context.ts';
import type { ApiHandler } from './handler.ts';

/** Key types of FindCoordinator: 0 a consumer group, 1 a transactional id. */
const SERVED_KEY_TYPES = new Set([0, 1]);

/**
 * FindCoordinator: this broker coordinates every consumer group and every transactional id (one
 * key before v4, a list of keys from v4). Other key types (share groups) are answered INVALID_REQUEST.
 */
export const handleFindCoordinator: ApiHandler = async (context, request, version) => {
  const served = SERVED_KEY_TYPES.has(request['keyType'] as number);
  const coordinator = served
    ? { nodeId: NODE_ID, host: context.advertisedHost, port: context.advertisedPort, errorCode: ERROR_CODES.NONE, errorMessage: null }
    : { nodeId: -1, host: '', port: -1, errorCode: ERROR_CODES.INVALID_REQUEST, errorMessage: `key type ${String(request['keyType'])} is not served: kstreams broker coordinates consumer groups (0) and transactions (1)` };
  if (version < 4) return { throttleTimeMs: 0, ...coordinator };
  return { throttleTimeMs: 0, coordinators: (request['coordinatorKeys'] as string[]).map((key) => ({ key, ...coordinator })) };
};
