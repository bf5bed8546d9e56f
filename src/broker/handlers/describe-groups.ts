import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

const NONE = Buffer.alloc(0);

/**
 * DescribeGroups: state, protocol and members of each group; unknown groups are Dead. As Kafka's
 * coordinator does, members carry their metadata and assignment only while the group is Stable
 * (mid-rebalance the protocol is "" and both are empty: an assignment is not yet decided, and
 * clients read metadata and assignment together).
 */
export const handleDescribeGroups: ApiHandler = async (context, request) => ({
  throttleTimeMs: 0,
  groups: (request['groups'] as string[]).map((groupId) => {
    const group = context.groups.group(groupId);
    if (group === undefined) {
      return { errorCode: ERROR_CODES.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [], authorizedOperations: -2147483648 };
    }
    const stable = group.state === 'Stable';
    return {
      errorCode: ERROR_CODES.NONE, groupId, groupState: group.state, protocolType: group.protocolType ?? '', protocolData: stable ? group.protocolName ?? '' : '',
      authorizedOperations: -2147483648,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
        memberMetadata: stable ? m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? NONE : NONE,
        memberAssignment: stable ? m.assignment : NONE,
      })),
    };
  }),
});
