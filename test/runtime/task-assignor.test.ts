import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignTasks, encodeOwnedTasks, standbyTasksOf, tasksOf } from '../../src/runtime/task-assignor.ts';
import type { AssignableTask } from '../../src/runtime/task-assignor.ts';

// Sub-topology 0 joins two co-partitioned topics (3 partitions); sub-topology 1 reads a repartition topic.
const tasks: AssignableTask[] = [
  ...[0, 1, 2].map((p) => ({ taskId: `0_${p}`, partition: p, inputTopics: ['orders', 'payments'], changelogTopics: ['app-join-changelog'] })),
  ...[0, 1, 2].map((p) => ({ taskId: `1_${p}`, partition: p, inputTopics: ['app-repartition'], changelogTopics: [] })),
];
const member = (memberId: string, owned: string[] = [], standbys: string[] = []) => ({ memberId, userData: encodeOwnedTasks(owned, standbys) });

describe('task assignment', () => {
  it('moves whole tasks: every input topic of a task goes to the same member, and every task to exactly one', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), (count) => {
      const members = Array.from({ length: count }, (_, i) => member(`m${i}`));
      const assignment = assignTasks(tasks, members);
      const owned = members.flatMap((m) => tasksOf(assignment.get(m.memberId)!, tasks));
      expect(owned.sort()).toEqual(tasks.map((t) => t.taskId).sort());
      const sizes = members.map((m) => tasksOf(assignment.get(m.memberId)!, tasks).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }), { numRuns: 20, seed: 1 });
  });

  it('keeps tasks with the member that ran them, as far as shares allow', () => {
    const first = assignTasks(tasks, [member('a'), member('b')]);
    const aTasks = tasksOf(first.get('a')!, tasks);
    const bTasks = tasksOf(first.get('b')!, tasks);
    const second = assignTasks(tasks, [member('a', aTasks), member('b', bTasks), member('c')]);
    const kept = tasksOf(second.get('a')!, tasks).filter((t) => aTasks.includes(t)).length + tasksOf(second.get('b')!, tasks).filter((t) => bTasks.includes(t)).length;
    expect(kept).toBe(4); // two each stay; the newcomer takes one from each
    expect(tasksOf(second.get('c')!, tasks)).toHaveLength(2);
  });

  it('places standby copies of tasks with state on other members than their owner', () => {
    const members = [member('a'), member('b'), member('c')];
    const assignment = assignTasks(tasks, members, 1);
    for (const m of members) {
      const active = tasksOf(assignment.get(m.memberId)!, tasks);
      const standby = standbyTasksOf(assignment.get(m.memberId)!, tasks);
      expect(standby.filter((t) => active.includes(t))).toEqual([]);
      expect(standby.every((t) => t.startsWith('0_'))).toBe(true); // sub-topology 1 has no state
    }
    const copies = members.flatMap((m) => standbyTasksOf(assignment.get(m.memberId)!, tasks));
    expect(copies.sort()).toEqual(['0_0', '0_1', '0_2']);
  });
});
