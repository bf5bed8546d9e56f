import type { GroupMemberInfo, TopicPartitions } from '../client/index.ts';

/** A task the group assigns: a sub-topology's partition, with the topics its sources read. */
export interface AssignableTask {
  readonly taskId: string;
  readonly partition: number;
  readonly inputTopics: readonly string[];
}

/** What a member says when it joins: the tasks it ran (to keep them, and their local state). */
export function encodeOwnedTasks(taskIds: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify({ version: 1, tasks: taskIds }));
}

function ownedTasks(userData: Buffer): string[] {
  try {
    const decoded = JSON.parse(userData.toString()) as { tasks?: unknown };
    return Array.isArray(decoded.tasks) ? decoded.tasks.filter((t): t is string => typeof t === 'string') : [];
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
export function assignTasks(tasks: readonly AssignableTask[], members: readonly GroupMemberInfo[]): Map<string, TopicPartitions> {
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
  return new Map([...byMember].map(([id, assigned]) => [id, toTopicPartitions(assigned)]));
}

function toTopicPartitions(tasks: readonly AssignableTask[]): TopicPartitions {
  const byTopic = new Map<string, number[]>();
  for (const task of tasks) {
    for (const topic of task.inputTopics) byTopic.set(topic, [...(byTopic.get(topic) ?? []), task.partition]);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
}

/** The tasks a member got: those whose every input topic was assigned at the task's partition. */
export function tasksOf(assignment: TopicPartitions, tasks: readonly AssignableTask[]): string[] {
  const assigned = new Set(assignment.flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}\u0000${p}`)));
  return tasks.filter((task) => task.inputTopics.every((topic) => assigned.has(`${topic}\u0000${task.partition}`))).map((t) => t.taskId);
}
