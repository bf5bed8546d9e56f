import type { GroupMemberInfo, TopicPartitions } from '../client/index.ts';
import { LATEST_OFFSET, decodeSubscription } from './member-subscription.ts';

/** A task the group assigns: a sub-topology's partition, with the topics its sources read and its stores' changelogs. */
export interface AssignableTask {
  readonly taskId: string;
  readonly partition: number;
  readonly inputTopics: readonly string[];
  /** Changelog topics of the task's logged stores: a standby copy follows them at `partition`. */
  readonly changelogTopics: readonly string[];
}

/** Kafka Streams' assignment settings (`num.standby.replicas`, `acceptable.recovery.lag`, `max.warmup.replicas`). */
export interface AssignorSettings {
  readonly standbyReplicas: number;
  /** A member whose copy of a task is at most this many changelog records behind counts as caught up. */
  readonly acceptableRecoveryLag: number;
  /** At most this many warm-up copies in the whole group at once. */
  readonly maxWarmupReplicas: number;
  /** The sum of the end offsets of a task's changelogs at its partition, or undefined when unknown. */
  readonly endOffsetSum: (task: AssignableTask) => number | undefined;
}

/** What the leader decided. */
export interface TaskAssignment {
  /** Every member's topic partitions: its tasks' input partitions, its standby and warm-up copies' changelog partitions. */
  readonly byMember: Map<string, TopicPartitions>;
  /** Warm-up copies: a stateful task's balanced owner follows its changelog before the task moves there. */
  readonly warmups: ReadonlyArray<{ readonly taskId: string; readonly memberId: string }>;
  /** Stateful tasks left on another member than their balanced owner: a probing rebalance should look again. */
  readonly movementsPending: number;
}

const DEFAULT_SETTINGS: AssignorSettings = { standbyReplicas: 0, acceptableRecoveryLag: 10_000, maxWarmupReplicas: 2, endOffsetSum: () => undefined };

interface Member {
  readonly id: string;
  readonly active: ReadonlySet<string>;
  readonly standbys: ReadonlySet<string>;
  readonly offsetSums: ReadonlyMap<string, number>;
}

/**
 * Kafka Streams' high-availability assignment (KIP-441): whole tasks move, never single partitions
 * — a task's input partitions (all co-partitioned topics at one partition number) go to one member.
 *
 * 1. A balanced, sticky target: each member gets an equal share (within one) of the stateful tasks,
 *    a task staying with the member that ran it while that member is under its share.
 * 2. A stateful task only goes to a member that is *caught up* on it: one that runs it, or whose
 *    local copy (standby, warm-up, or a task directory with a checkpoint) lags its changelogs by
 *    at most `acceptable.recovery.lag` records. When the target is not caught up, the task stays
 *    active on a caught-up member (its previous owner first; when none is caught up, on the
 *    least lagging one) and the target gets a *warm-up* copy — a standby beyond
 *    `num.standby.replicas`, at most `max.warmup.replicas` in the group — so no task restores from
 *    scratch while it is active. `movementsPending` tells the leader to probe again later
 *    (`probing.rebalance.interval.ms`), when the warm-ups may have caught up.
 * 3. Standby copies (`num.standby.replicas`) on members other than the active one.
 * 4. Stateless tasks are shared so every member's number of active tasks is balanced.
 *
 * @example
 * const { byMember, warmups } = assignTasks(tasks, members, { ...settings, endOffsetSum: (t) => ends.sumOf(t) });
 */
export function assignTasks(tasks: readonly AssignableTask[], groupMembers: readonly GroupMemberInfo[], given: Partial<AssignorSettings> = {}): TaskAssignment {
  const settings = { ...DEFAULT_SETTINGS, ...given };
  const members: Member[] = [...groupMembers].sort((a, b) => a.memberId.localeCompare(b.memberId)).map((m) => {
    const s = decodeSubscription(m.userData);
    return { id: m.memberId, active: new Set(s.active), standbys: new Set(s.standbys), offsetSums: s.offsetSums };
  });
  const sorted = [...tasks].sort((a, b) => a.taskId.localeCompare(b.taskId));
  const stateful = sorted.filter((t) => t.changelogTopics.length > 0);
  const stateless = sorted.filter((t) => t.changelogTopics.length === 0);
  const active = new Map<string, AssignableTask[]>(members.map((m) => [m.id, []]));
  const lags = new Map(stateful.map((task) => [task.taskId, lagsOf(task, members, settings.endOffsetSum(task))]));

  const targets = balancedTargets(stateful, members, lags);
  const movements: Array<{ task: AssignableTask; target: string }> = [];
  for (const task of stateful) {
    const target = targets.get(task.taskId)!;
    const lag = lags.get(task.taskId)!;
    const owner = lag.get(target)! <= settings.acceptableRecoveryLag ? target : mostCaughtUp(task, members, lag, target, settings.acceptableRecoveryLag);
    active.get(owner)!.push(task);
    if (owner !== target) movements.push({ task, target });
  }
  const ownerOf = new Map([...active].flatMap(([id, assigned]) => assigned.map((t) => [t.taskId, id] as const)));
  const standbys = assignStandbys(stateful, members, ownerOf, lags, settings.standbyReplicas);
  const warmups: Array<{ taskId: string; memberId: string }> = [];
  for (const { task, target } of movements) {
    if (standbys.get(target)!.includes(task)) continue; // its standby copy warms it up already
    if (warmups.length >= settings.maxWarmupReplicas) break;
    standbys.get(target)!.push(task);
    warmups.push({ taskId: task.taskId, memberId: target });
  }
  assignStateless(stateless, members, active, tasks.length);
  const byMember = new Map(members.map((m) => [m.id, toTopicPartitions(active.get(m.id)!, standbys.get(m.id)!)]));
  return { byMember, warmups, movementsPending: movements.length };
}

/**
 * How far each member's copy of `task` is behind its changelogs: 0 for the member running it,
 * the whole changelog for a member without a copy. A copy ahead of the end offsets the leader
 * read counts as caught up: the leader's end offsets may be a moment older than the members'
 * offsets. Without end offsets no copy is caught up, but copies still rank by how far they got.
 */
function lagsOf(task: AssignableTask, members: readonly Member[], endOffsetSum: number | undefined): Map<string, number> {
  return new Map(members.map((m) => {
    const sum = m.offsetSums.get(task.taskId);
    if (sum === LATEST_OFFSET) return [m.id, 0];
    if (endOffsetSum === undefined) return [m.id, Number.MAX_SAFE_INTEGER - (sum ?? 0)];
    return [m.id, Math.max(0, endOffsetSum - (sum ?? 0))];
  }));
}

/** Each stateful task's balanced owner: its previous owner while under its share, else the least loaded (then least lagging) member. */
function balancedTargets(stateful: readonly AssignableTask[], members: readonly Member[], lags: ReadonlyMap<string, ReadonlyMap<string, number>>): Map<string, string> {
  const share = Math.ceil(stateful.length / Math.max(1, members.length));
  const load = new Map(members.map((m) => [m.id, 0]));
  const targets = new Map<string, string>();
  const rest: AssignableTask[] = [];
  for (const task of stateful) {
    const previous = members.find((m) => m.active.has(task.taskId));
    if (previous !== undefined && load.get(previous.id)! < share) {
      targets.set(task.taskId, previous.id);
      load.set(previous.id, load.get(previous.id)! + 1);
    } else {
      rest.push(task);
    }
  }
  for (const task of rest) {
    const lag = lags.get(task.taskId)!;
    const best = members.reduce((a, b) => (load.get(b.id)! < load.get(a.id)! || (load.get(b.id) === load.get(a.id) && lag.get(b.id)! < lag.get(a.id)!) ? b : a));
    targets.set(task.taskId, best.id);
    load.set(best.id, load.get(best.id)! + 1);
  }
  return targets;
}

/**
 * Where a task runs while its target warms up: a caught-up member (the one that ran it first,
 * then the least lagging); when none is caught up, the least lagging member (the target on a tie).
 */
function mostCaughtUp(task: AssignableTask, members: readonly Member[], lag: ReadonlyMap<string, number>, target: string, acceptable: number): string {
  const caughtUp = members.filter((m) => lag.get(m.id)! <= acceptable);
  if (caughtUp.length > 0) {
    const previous = caughtUp.find((m) => m.active.has(task.taskId));
    return (previous ?? caughtUp.reduce((a, b) => (lag.get(b.id)! < lag.get(a.id)! ? b : a))).id;
  }
  return members.reduce((best, m) => (lag.get(m.id)! < lag.get(best)! ? m.id : best), target);
}

/**
 * Standby copies (`num.standby.replicas`): each task with logged stores gets up to that many
 * members other than its active owner: the one with the fewest copies so far, on a tie the one that
 * kept the task's copy before, then the least lagging.
 */
function assignStandbys(
  stateful: readonly AssignableTask[],
  members: readonly Member[],
  ownerOf: ReadonlyMap<string, string>,
  lags: ReadonlyMap<string, ReadonlyMap<string, number>>,
  replicas: number,
): Map<string, AssignableTask[]> {
  const standbys = new Map<string, AssignableTask[]>(members.map((m) => [m.id, []]));
  if (replicas <= 0) return standbys;
  for (const task of stateful) {
    const lag = lags.get(task.taskId)!;
    const count = (m: Member) => standbys.get(m.id)!.length;
    const candidates = members.filter((m) => m.id !== ownerOf.get(task.taskId))
      .sort((a, b) => count(a) - count(b) || Number(b.standbys.has(task.taskId)) - Number(a.standbys.has(task.taskId))
        || lag.get(a.id)! - lag.get(b.id)! || a.id.localeCompare(b.id));
    for (const m of candidates.slice(0, replicas)) standbys.get(m.id)!.push(task);
  }
  return standbys;
}

/** Stateless tasks move freely: each stays with its previous owner while that one is under an equal share of all tasks, else goes to the least loaded. */
function assignStateless(stateless: readonly AssignableTask[], members: readonly Member[], active: Map<string, AssignableTask[]>, total: number): void {
  const share = Math.ceil(total / Math.max(1, members.length));
  const rest: AssignableTask[] = [];
  for (const task of stateless) {
    const previous = members.find((m) => m.active.has(task.taskId));
    if (previous !== undefined && active.get(previous.id)!.length < share) active.get(previous.id)!.push(task);
    else rest.push(task);
  }
  for (const task of rest) {
    const least = members.reduce((a, b) => (active.get(b.id)!.length < active.get(a.id)!.length ? b : a));
    active.get(least.id)!.push(task);
  }
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
