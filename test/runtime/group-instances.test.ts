import { describe, expect, it } from 'vitest';
import { instancesOf } from '../../src/runtime/group-instances.ts';
import { encodeSubscription } from '../../src/runtime/member-subscription.ts';

const joinedWith = (host?: string) => encodeSubscription({ active: [], standbys: [], host, offsetSums: new Map() });

const tasks = [0, 1, 2].map((partition) => ({ taskId: `0_${partition}`, partition, inputTopics: ['clicks'], changelogTopics: ['app-counts-changelog'] }));

describe('instancesOf (the application\'s instances, from the group coordinator\'s view)', () => {
  it('gives each member with an application.server its active tasks and standby copies; leaves out members without a usable one', () => {
    const instances = instancesOf({
      stable: true,
      members: [
        { memberId: 'm1', userData: joinedWith('a.internal:7070'), assignment: [{ topic: 'clicks', partitions: [0, 2] }, { topic: 'app-counts-changelog', partitions: [0, 1] }] },
        { memberId: 'm2', userData: joinedWith('[::1]:7071'), assignment: [{ topic: 'clicks', partitions: [1] }] },
        { memberId: 'm3', userData: joinedWith(), assignment: [] },
        { memberId: 'm4', userData: joinedWith('no-port'), assignment: [] },
        { memberId: 'm5', userData: Buffer.from('not json'), assignment: [] },
      ],
    }, tasks);
    expect(instances).toEqual([
      // Partition 0's changelog comes with its active task (a single member gets every partition of every topic): not a standby.
      { host: { host: 'a.internal', port: 7070 }, activeTasks: ['0_0', '0_2'], standbyTasks: ['0_1'] },
      { host: { host: '::1', port: 7071 }, activeTasks: ['0_1'], standbyTasks: [] },
    ]);
  });
});
