import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

/** DescribeGroups: state, protocol and members (with metadata and assignment) of each group; unknown groups are Dead. */
export const handleDescribeGroups: ApiHandler = async (context, request) => ({
  throttleTimeMs: 0,
  groups: (request['groups'] as string[]).map((groupId) => {
    const group = context.groups.group(groupId);
    if (group === undefined) {
      return { errorCode: ERROR_CODES.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [], authorizedOperations: -2147483648 };
    }
    return {
      errorCode: ERROR_CODES.NONE, groupId, groupState: group.state, protocolType: group.protocolType ?? '', protocolData: group.protocolName ?? '',
      authorizedOperations: -2147483648,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
        memberMetadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? Buffer.alloc(0), memberAssignment: m.assignment,
      })),
    };
  }),
});
