import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

/** LeaveGroup: one member before v3, a list of members from v3; the group rebalances without them. */
export const handleLeaveGroup: ApiHandler = async (context, request, version) => {
  const groupId = request['groupId'] as string;
  if (version < 3) {
    const [errorCode] = context.groups.leave(groupId, [request['memberId'] as string]);
    return { throttleTimeMs: 0, errorCode: errorCode!, members: [] };
  }
  const members = request['members'] as Array<{ memberId: string; groupInstanceId: string | null }>;
  const codes = context.groups.leave(groupId, members.map((m) => m.memberId));
  return {
    throttleTimeMs: 0, errorCode: ERROR_CODES.NONE,
    members: members.map((m, i) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: codes[i]! })),
  };
};
