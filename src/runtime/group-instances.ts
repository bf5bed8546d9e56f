import type { GroupSnapshot } from '../client/index.ts';
import { parseHostInfo } from '../query/index.ts';
import type { HostInfo, InstanceTasks } from '../query/index.ts';
import { memberHostOf } from './member-subscription.ts';
import { standbyTasksOf, tasksOf } from './task-assignor.ts';
import type { AssignableTask } from './task-assignor.ts';

/**
 * The application's instances as the group's coordinator holds them after a rebalance: each
 * member's `application.server` (from what it said when joining) with the tasks and standby
 * copies its assignment gives it. Members without `application.server` are left out, as Kafka
 * Streams leaves them out of its metadata (and so is one whose address does not parse: every
 * instance checks its own when it is created, so that can only be a member of another program).
 *
 * @example
 * metadata.update(instancesOf(await cluster.describeGroupMembers(applicationId), assignable));
 */
export function instancesOf(snapshot: GroupSnapshot, tasks: readonly AssignableTask[]): InstanceTasks[] {
  const instances: InstanceTasks[] = [];
  for (const member of snapshot.members) {
    const host = hostOf(member.userData);
    if (host === undefined) continue;
    const activeTasks = tasksOf(member.assignment, tasks);
    const standbyTasks = standbyTasksOf(member.assignment, tasks).filter((id) => !activeTasks.includes(id));
    instances.push({ host, activeTasks, standbyTasks });
  }
  return instances;
}

function hostOf(userData: Buffer): HostInfo | undefined {
  const text = memberHostOf(userData);
  if (text === undefined) return undefined;
  try {
    return parseHostInfo(text);
  } catch {
    return undefined;
  }
}
