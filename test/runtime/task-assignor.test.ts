import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignTasks, standbyTasksOf, tasksOf } from '../../src/runtime/task-assignor.ts';
import type { AssignableTask, TaskAssignment } from '../../src/runtime/task-assignor.ts';
import { LATEST_OFFSET, decodeSubscription, encodeSubscription } from '../../src/runtime/member-subscription.ts';

// Sub-topology 0 joins two co-partitioned topics (3 partitions); sub-topology 1 reads a repartition topic.
const tasks: AssignableTask[] = [
  ...[0, 1, 2].map((p) => ({ taskId: `0_${p}`, partition: p, inputTopics: ['orders', 'payments'], changelogTopics: ['app-join-changelog'] })),
  ...[0, 1, 2].map((p) => ({ taskId: `1_${p}`, partition: p, inputTopics: ['app-repartition'], changelogTopics: [] })),
];
/** A member that runs `owned`, keeps standby copies of `standbys`, and has reached `sums` on other tasks' changelogs. */
const member = (memberId: string, owned: string[] = [], standbys: string[] = [], sums: Record<string, number> = {}) => ({
  memberId,
  userData: encodeSubscription({ active: owned, standbys, offsetSums: new Map([...owned.map((t) => [t, LATEST_OFFSET] as const), ...Object.entries(sums)]) }),
});
/** Every changelog partition holds 50,000 records. */
const ends = { endOffsetSum: () => 50_000 };
const activeOf = (result: TaskAssignment, memberId: string) => tasksOf(result.byMember.get(memberId)!, tasks);
const standbysOf = (result: TaskAssignment, memberId: string) => standbyTasksOf(result.byMember.get(memberId)!, tasks).filter((t) => !activeOf(result, memberId).includes(t));

describe('task assignment', () => {
  it('moves whole tasks: every input topic of a task goes to the same member, and every task to exactly one; a new group is balanced', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), (count) => {
      const members = Array.from({ length: count }, (_, i) => member(`m${i}`));
      const result = assignTasks(tasks, members, ends);
      const owned = members.flatMap((m) => activeOf(result, m.memberId));
      expect(owned.sort()).toEqual(tasks.map((t) => t.taskId).sort());
      const sizes = members.map((m) => activeOf(result, m.memberId).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(result.warmups).toEqual([]);
    }), { numRuns: 20, seed: 1 });
  });

  it('a stateful task whose balanced owner has not caught up stays with its owner, and the newcomer warms a copy up', () => {
    const result = assignTasks(tasks, [member('a', ['0_0', '0_1', '1_0']), member('b', ['0_2', '1_1', '1_2']), member('c')], ends);
    // Balance would give c one stateful task; c holds no state (lag 50,000 > acceptable.recovery.lag 10,000).
    expect(activeOf(result, 'c').filter((t) => t.startsWith('0_'))).toEqual([]);
    expect(result.warmups).toHaveLength(1);
    const { taskId, memberId } = result.warmups[0]!;
    expect(memberId).toBe('c');
    expect(activeOf(result, 'a')).toContain(taskId);
    expect(standbysOf(result, 'c')).toEqual([taskId]);
    expect(result.movementsPending).toBe(1);
  });

  it('promotes the warm-up once it has caught up (lag within acceptable.recovery.lag), with no warm-up left', () => {
    const first = assignTasks(tasks, [member('a', ['0_0', '0_1', '1_0']), member('b', ['0_2', '1_1', '1_2']), member('c')], ends);
    const { taskId } = first.warmups[0]!;
    const aTasks = activeOf(first, 'a');
    const cTasks = activeOf(first, 'c');
    const probe = assignTasks(tasks, [member('a', aTasks), member('b', activeOf(first, 'b')), member('c', cTasks, [taskId], { [taskId]: 45_000 })], ends);
    expect(activeOf(probe, 'c')).toContain(taskId);
    expect(activeOf(probe, 'a')).not.toContain(taskId);
    expect(probe.warmups).toEqual([]);
    expect(probe.movementsPending).toBe(0);
    // Still 5,001 records behind: not caught up, the copy keeps warming.
    const early = assignTasks(tasks, [member('a', aTasks), member('b', activeOf(first, 'b')), member('c', cTasks, [taskId], { [taskId]: 39_999 })], ends);
    expect(activeOf(early, 'a')).toContain(taskId);
    expect(early.warmups).toEqual([{ taskId, memberId: 'c' }]);
    // A larger acceptable.recovery.lag takes it as caught up.
    const lenient = assignTasks(tasks, [member('a', aTasks), member('b', activeOf(first, 'b')), member('c', cTasks, [taskId], { [taskId]: 39_999 })], { ...ends, acceptableRecoveryLag: 20_000 });
    expect(activeOf(lenient, 'c')).toContain(taskId);
  });

  it('places at most max.warmup.replicas warm-up copies in the group; the other moves wait for a later probing rebalance', () => {
    const many: AssignableTask[] = Array.from({ length: 6 }, (_, p) => ({ taskId: `0_${p}`, partition: p, inputTopics: ['orders'], changelogTopics: ['app-store-changelog'] }));
    const members = [member('a', many.map((t) => t.taskId)), member('b'), member('c')];
    const capped = assignTasks(many, members, ends);
    expect(capped.movementsPending).toBe(4); // b and c should get two each
    expect(capped.warmups).toHaveLength(2); // max.warmup.replicas defaults to 2
    expect(tasksOf(capped.byMember.get('a')!, many)).toHaveLength(6);
    expect(assignTasks(many, members, { ...ends, maxWarmupReplicas: 1 }).warmups).toHaveLength(1);
    expect(assignTasks(many, members, { ...ends, maxWarmupReplicas: 4 }).warmups).toHaveLength(4);
  });

  it('when the owner is gone, a caught-up standby copy takes the task rather than a member without state', () => {
    // a ran 0_0 and left; c kept a standby 100 records behind; b has nothing.
    const result = assignTasks(tasks, [member('b', ['1_0', '1_1', '1_2']), member('c', ['0_1', '0_2'], ['0_0'], { '0_0': 49_900 })], ends);
    expect(activeOf(result, 'c')).toContain('0_0');
  });

  it('when nobody has caught up, the least lagging member runs the task', () => {
    // 0_0's owner left; balance makes b its owner, but b holds nothing and c is 30,000 records behind.
    const result = assignTasks(tasks, [member('b', ['1_0', '1_1']), member('c', ['0_1', '0_2', '1_2'], [], { '0_0': 20_000 })], ends);
    expect(activeOf(result, 'c')).toContain('0_0');
    expect(result.warmups).toEqual([{ taskId: '0_0', memberId: 'b' }]);
  });

  it('stateless tasks balance freely: a newcomer gets its share of them at once', () => {
    const result = assignTasks(tasks, [member('a', ['0_0', '0_1', '1_0']), member('b', ['0_2', '1_1', '1_2']), member('c')], ends);
    expect(activeOf(result, 'c').length).toBeGreaterThan(0);
    expect(activeOf(result, 'c').every((t) => t.startsWith('1_'))).toBe(true);
  });

  it('without the changelogs\' end offsets only the members running a task count as caught up', () => {
    const result = assignTasks(tasks, [member('a', ['0_0', '0_1', '0_2']), member('b', [], [], { '0_2': 49_999 })]);
    expect(activeOf(result, 'a').filter((t) => t.startsWith('0_')).sort()).toEqual(['0_0', '0_1', '0_2']);
  });

  it('without end offsets, a task whose owner is gone goes to the copy that got furthest, and none counts as caught up', () => {
    // Balance makes b 0_0's owner; b's copy got to offset 10, c's to 40,000.
    const result = assignTasks(tasks, [member('b', ['1_0'], [], { '0_0': 10 }), member('c', ['0_1', '0_2', '1_1', '1_2'], [], { '0_0': 40_000 })]);
    expect(activeOf(result, 'c')).toContain('0_0');
    expect(result.warmups).toEqual([{ taskId: '0_0', memberId: 'b' }]);
  });

  it('places standby copies of tasks with state on other members than their owner', () => {
    const members = [member('a'), member('b'), member('c')];
    const result = assignTasks(tasks, members, { ...ends, standbyReplicas: 1 });
    for (const m of members) {
      const active = activeOf(result, m.memberId);
      const standby = standbyTasksOf(result.byMember.get(m.memberId)!, tasks);
      expect(standby.filter((t) => active.includes(t))).toEqual([]);
      expect(standby.every((t) => t.startsWith('0_'))).toBe(true); // sub-topology 1 has no state
    }
    const copies = members.flatMap((m) => standbyTasksOf(result.byMember.get(m.memberId)!, tasks));
    expect(copies.sort()).toEqual(['0_0', '0_1', '0_2']);
  });

  it('shares standby copies equally, even with a member whose old checkpoints make it the least lagging on every task', () => {
    const many: AssignableTask[] = Array.from({ length: 6 }, (_, p) => ({ taskId: `0_${p}`, partition: p, inputTopics: ['orders'], changelogTopics: ['app-store-changelog'] }));
    const checkpoints = Object.fromEntries(many.map((t) => [t.taskId, 49_990]));
    const members = [member('a', [], [], checkpoints), member('b', ['0_0', '0_1', '0_2'], ['0_3', '0_4']), member('c', ['0_3', '0_4', '0_5'], ['0_0', '0_1'])];
    const result = assignTasks(many, members, { ...ends, standbyReplicas: 1 });
    const copies = members.map((m) => standbyTasksOf(result.byMember.get(m.memberId)!, many).filter((t) => !tasksOf(result.byMember.get(m.memberId)!, many).includes(t)).length);
    expect(copies).toEqual([2, 2, 2]);
  });
});

describe('member subscription (join userData)', () => {
  it('round-trips tasks, host and offset sums; reads version 1 (no sums) as running tasks being current; survives garbage', () => {
    const decoded = decodeSubscription(encodeSubscription({ active: ['0_0'], standbys: ['0_1'], host: 'a:1', offsetSums: new Map([['0_0', LATEST_OFFSET], ['0_1', 812]]) }));
    expect(decoded).toEqual({ active: ['0_0'], standbys: ['0_1'], host: 'a:1', offsetSums: new Map([['0_0', LATEST_OFFSET], ['0_1', 812]]) });
    const v1 = decodeSubscription(Buffer.from(JSON.stringify({ version: 1, tasks: ['0_2'], standbys: ['0_1'] })));
    expect(v1.offsetSums).toEqual(new Map([['0_2', LATEST_OFFSET]]));
    expect(decodeSubscription(Buffer.from('not json'))).toEqual({ active: [], standbys: [], host: undefined, offsetSums: new Map() });
  });
});
