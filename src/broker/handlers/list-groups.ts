import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

/** ListGroups: groups with members, and groups that only have committed offsets (state Empty). */
export const handleListGroups: ApiHandler = async (context, request) => {
  const withOffsets = await context.engine.listGroups();
  const ids = [...new Set([...context.groups.groupIds(), ...withOffsets])].sort();
  const statesFilter = (request['statesFilter'] as string[] | undefined) ?? [];
  const groups = ids.map((groupId) => {
    const group = context.groups.group(groupId);
    return { groupId, protocolType: group?.protocolType ?? 'consumer', groupState: group?.state ?? 'Empty', groupType: 'classic' };
  }).filter((g) => statesFilter.length === 0 || statesFilter.includes(g.groupState));
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, groups };
};
