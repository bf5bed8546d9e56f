import type { ApiHandler } from './handler.ts';

/** Heartbeat: keeps the member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
export const handleHeartbeat: ApiHandler = async (context, request) => ({
  throttleTimeMs: 0,
  errorCode: context.groups.heartbeat(
    request['groupId'] as string, request['memberId'] as string, request['generationId'] as number, (request['groupInstanceId'] as string | null | undefined) ?? null,
  ),
});
