import { ERROR_CODES } from '../../protocol/index.ts';
import { NODE_ID } from '../broker-context.ts';
import type { ApiHandler } from './handler.ts';

/** FindCoordinator: this broker coordinates every group (one key before v4, a list of keys from v4). */
export const handleFindCoordinator: ApiHandler = async (context, request, version) => {
  const coordinator = { nodeId: NODE_ID, host: context.advertisedHost, port: context.advertisedPort, errorCode: ERROR_CODES.NONE, errorMessage: null };
  if (version < 4) return { throttleTimeMs: 0, ...coordinator };
  return { throttleTimeMs: 0, coordinators: (request['coordinatorKeys'] as string[]).map((key) => ({ key, ...coordinator })) };
};
