import type { ApiHandler } from './handler.ts';

/**
 * JoinGroup: the member waits until the rebalance completes, then learns its generation, the
 * chosen protocol and the leader; the leader also gets every member's metadata. From v4 a new
 * member is first told MEMBER_ID_REQUIRED with its id (KIP-394), unless it is static: a restarted
 * static member (`group.instance.id`, KIP-345) may get its previous assignment at once; from v9 a
 * restarted static leader is told it leads but must keep the assignment (KIP-814). v8 adds a reason
 * the broker logs.
 */
export const handleJoinGroup: ApiHandler = async (context, request, version, source) => {
  const result = await context.groups.join({
    groupId: request['groupId'] as string,
    memberId: request['memberId'] as string,
    groupInstanceId: (request['groupInstanceId'] as string | null) ?? null,
    clientId: source.clientId,
    clientHost: source.clientHost,
    sessionTimeoutMs: request['sessionTimeoutMs'] as number,
    rebalanceTimeoutMs: version >= 1 ? (request['rebalanceTimeoutMs'] as number) : (request['sessionTimeoutMs'] as number),
    protocolType: request['protocolType'] as string,
    protocols: (request['protocols'] as Array<{ name: string; metadata: Buffer }>).map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
    requireKnownMemberId: version >= 4,
    supportsSkipAssignment: version >= 9,
    reason: (request['reason'] as string | null | undefined) ?? null,
  });
  return {
    throttleTimeMs: 0, errorCode: result.errorCode, generationId: result.generationId, protocolType: result.protocolType,
    protocolName: result.protocolName ?? (version >= 7 ? null : ''), leader: result.leader, skipAssignment: result.skipAssignment, memberId: result.memberId,
    members: result.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
  };
};
