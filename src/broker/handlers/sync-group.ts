import type { ApiHandler } from './handler.ts';

/**
 * SyncGroup: the leader hands in every member's assignment; each member waits for and gets its own.
 * From v5 the protocol type and name a member names must be the group's.
 */
export const handleSyncGroup: ApiHandler = async (context, request, version) => {
  const result = await context.groups.sync(
    request['groupId'] as string,
    request['memberId'] as string,
    request['generationId'] as number,
    (request['assignments'] as Array<{ memberId: string; assignment: Buffer }>).map((a) => ({ memberId: a.memberId, assignment: Buffer.from(a.assignment) })),
    (request['groupInstanceId'] as string | null | undefined) ?? null,
    { type: (request['protocolType'] as string | null | undefined) ?? null, name: (request['protocolName'] as string | null | undefined) ?? null },
  );
  return {
    throttleTimeMs: 0, errorCode: result.errorCode, protocolType: result.protocolType ?? (version >= 5 ? null : ''),
    protocolName: result.protocolName ?? (version >= 5 ? null : ''), assignment: result.assignment,
  };
};
