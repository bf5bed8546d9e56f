import type { GroupMemberInfo, TopicPartitions } from '../client/index.ts';

/** A task the group assigns: a sub-topology's partition, with the topics its sources read and its stores' changelogs. */
export interface AssignableTask {
  readonly taskId: string;
  readonly partition: number;
  readonly inputTopics: readonly string[];
  /** Changelog topics of the task's logged stores: a standby copy follows them at `partition`. */
  readonly changelogTopics: readonly string[];
}

/**
 * What a member says when it joins: the tasks it ran and kept standby copies of (to keep them, and
 * their local state), and its `application.server` (so every member can tell where a key lives).
 */
export function encodeOwnedTasks(taskIds: readonly string[], standbyIds: readonly string[] = [], host?: string): Buffer {
  return Buffer.from(JSON.stringify({ version: 1, tasks: taskIds, standbys: standbyIds, ...(host === undefined ? {} : { host }) }));
}

/** The `application.server` a member gave when it joined, or undefined. */
export function memberHostOf(userData: Buffer): string | undefined {
  try {
    const host = (JSON.parse(userData.toString()) as { host?: unknown }).host;
    return typeof host === 'string' ? host : undefined;
  } catch {
    return undefined;
  }
}

function ownedTasks(userData: Buffer, field: 'tasks' | 'standbys' = 'tasks'): string[] {
  try {
    const decoded = JSON.parse(userData.toString()) as { [key: string]: unknown };
    const list = decoded[field];
    return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Kafka Streams' assignment, in its simplest sticky form: whole tasks move, never single
 * partitions — a task's input partitions (all co-partitioned topics at one partition number) go
 * to one member together. Each member gets an equal share (within one); a task stays with the
 * member that ran it while that member is under its share, so its state need not be restored.
 *
 * @example
 * const byMember = assignTasks(tasks, members); // Map<memberId, [{ topic, partitions }]>
 */
export function assignTasks(tasks: readonly AssignableTask[], members: readonly GroupMemberInfo[], standbyReplicas = 0): Map<string, TopicPartitions> {
  const ids = [...members].map((m) => m.memberId).sort();
  const share = Math.ceil(tasks.length / Math.max(1, ids.length));
  const byMember = new Map<string, AssignableTask[]>(ids.map((id) => [id, []]));
  const unassigned: AssignableTask[] = [];
  const previousOwner = new Map<string, string>();
  for (const member of members) for (const taskId of ownedTasks(member.userData)) previousOwner.set(taskId, member.memberId);
  for (const task of [...tasks].sort((a, b) => a.taskId.localeCompare(b.taskId))) {
    const owner = previousOwner.get(task.taskId);
    const owned = owner === undefined ? undefined : byMember.get(owner);
    if (owned !== undefined && owned.length < share) owned.push(task);
    else unassigned.push(task);
  }
  for (const task of unassigned) {
    const least = ids.reduce((best, id) => (byMember.get(id)!.length < byMember.get(best)!.length ? id : best), ids[0]!);
    byMember.get(least)?.push(task);
  }
  const standbys = assignStandbys(tasks, ids, byMember, members, standbyReplicas);
  return new Map([...byMember].map(([id, assigned]) => [id, toTopicPartitions(assigned, standbys.get(id) ?? [])]));
}

/**
 * Standby copies (`num.standby.replicas`): each task with logged stores gets up to that many
 * members other than its active owner, the previous standby owners first, then the least loaded.
 */
function assignStandbys(
  tasks: readonly AssignableTask[],
  ids: readonly string[],
  active: ReadonlyMap<string, readonly AssignableTask[]>,
  members: readonly GroupMemberInfo[],
  replicas: number,
): Map<string, AssignableTask[]> {
  const standbys = new Map<string, AssignableTask[]>(ids.map((id) => [id, []]));
  if (replicas <= 0) return standbys;
  const ownerOf = new Map<string, string>();
  for (const [id, assigned] of active) for (const task of assigned) ownerOf.set(task.taskId, id);
  const previous = new Map<string, Set<string>>();
  for (const member of members) for (const taskId of ownedTasks(member.userData, 'standbys')) previous.set(taskId, (previous.get(taskId) ?? new Set()).add(member.memberId));
  for (const task of [...tasks].sort((a, b) => a.taskId.localeCompare(b.taskId))) {
    if (task.changelogTopics.length === 0) continue;
    const candidates = ids.filter((id) => id !== ownerOf.get(task.taskId))
      .sort((a, b) => Number(previous.get(task.taskId)?.has(b) ?? false) - Number(previous.get(task.taskId)?.has(a) ?? false)
        || standbys.get(a)!.length - standbys.get(b)!.length || a.localeCompare(b));
    for (const id of candidates.slice(0, replicas)) standbys.get(id)!.push(task);
  }
  return standbys;
}

function toTopicPartitions(tasks: readonly AssignableTask[], standbys: readonly AssignableTask[]): TopicPartitions {
  const byTopic = new Map<string, number[]>();
  const add = (topic: string, partition: number) => byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  for (const task of tasks) for (const topic of task.inputTopics) add(topic, task.partition);
  for (const task of standbys) for (const topic of task.changelogTopics) add(topic, task.partition);
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
}

/** The standby tasks a member got: those whose every changelog topic was assigned at the task's partition. */
export function standbyTasksOf(assignment: TopicPartitions, tasks: readonly AssignableTask[]): string[] {
  const assigned = new Set(assignment.flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}\u0000${p}`)));
  return tasks.filter((task) => task.changelogTopics.length > 0 && task.changelogTopics.every((topic) => assigned.has(`${topic}\u0000${task.partition}`))).map((t) => t.taskId);
}

/** The tasks a member got: those whose every input topic was assigned at the task's partition. */
export function tasksOf(assignment: TopicPartitions, tasks: readonly AssignableTask[]): string[] {
  const assigned = new Set(assignment.flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}\u0000${p}`)));
  return tasks.filter((task) => task.inputTopics.every((topic) => assigned.has(`${topic}\u0000${task.partition}`))).map((t) => t.taskId);
}
