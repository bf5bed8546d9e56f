import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

/**
 * LeaveGroup: one member before v3, a list of members from v3 (a static member may be named by its
 * group.instance.id alone); the group rebalances without them. v5 adds a reason per member, logged.
 */
export const handleLeaveGroup: ApiHandler = async (context, request, version) => {
  const groupId = request['groupId'] as string;
  if (version < 3) {
    const [errorCode] = context.groups.leave(groupId, [{ memberId: request['memberId'] as string, groupInstanceId: null }]);
    return { throttleTimeMs: 0, errorCode: errorCode!, members: [] };
  }
  const members = request['members'] as Array<{ memberId: string; groupInstanceId: string | null; reason?: string | null }>;
  const codes = context.groups.leave(groupId, members);
  return {
    throttleTimeMs: 0, errorCode: ERROR_CODES.NONE,
    members: members.map((m, i) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: codes[i]! })),
  };
};
