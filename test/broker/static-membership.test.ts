import { afterEach, describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../src/broker/index.ts';
import { ERROR_CODES, apis } from '../../src/protocol/index.ts';
import { COORDINATOR_NOT_READY, coordinatorReady, groupTargets } from './support/group-targets.ts';
import { RawClient } from './support/raw-client.ts';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The same requests against Apache Kafka, which is the spec (skipped without Java: see the reference kit). */
const targets = groupTargets(cleanup);
let groupCount = 0;

/** One group member speaking the classic protocol over its own connection (a pending JoinGroup blocks it). */
async function member(port: number, instanceId: string, groupId: string) {
  const c = await RawClient.open(port);
  cleanup.push(() => c.close());
  return {
    join: async (memberId: string) => {
      for (;;) {
        const joined = await c.request(apis.joinGroup, 7, {
          groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: instanceId, protocolType: 'consumer',
          protocols: [{ name: 'range', metadata: Buffer.from(instanceId) }],
        }) as { errorCode: number; generationId: number; memberId: string; leader: string; members: unknown[] };
        // Apache Kafka answers so while it loads the group's offsets partition: retry, as clients do.
        if (!COORDINATOR_NOT_READY.has(joined.errorCode)) return joined;
      }
    },
    sync: async (memberId: string, generationId: number, assignments: Array<{ memberId: string; assignment: Buffer }> = []) =>
      c.request(apis.syncGroup, 5, { groupId, generationId, memberId, groupInstanceId: instanceId, protocolType: 'consumer', protocolName: 'range', assignments }) as
        Promise<{ errorCode: number; assignment: Buffer }>,
    heartbeat: async (memberId: string, generationId: number) =>
      (await c.request(apis.heartbeat, 4, { groupId, generationId, memberId, groupInstanceId: instanceId }))['errorCode'] as number,
    leave: async (memberId: string) => c.request(apis.leaveGroup, 4, { groupId, members: [{ memberId, groupInstanceId: instanceId }] }) as
      Promise<{ errorCode: number; members: Array<{ errorCode: number }> }>,
  };
}

/** Two static members "a" (leader) and "b" in a stable generation with assignments "pa" and "pb". */
async function stableGroup(port: number) {
  const groupId = `static-${++groupCount}`;
  await coordinatorReady(port, groupId);
  const a = await member(port, 'a', groupId);
  const b = await member(port, 'b', groupId);
  const a1 = await a.join('');
  expect(a1.errorCode).toBe(ERROR_CODES.NONE);
  await a.sync(a1.memberId, a1.generationId, [{ memberId: a1.memberId, assignment: Buffer.from('pa') }]);
  const bJoin = b.join('');
  await expect.poll(() => a.heartbeat(a1.memberId, a1.generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
  const [a2, b2] = await Promise.all([a.join(a1.memberId), bJoin]);
  expect(a2.leader).toBe(a1.memberId);
  const assignments = [{ memberId: a1.memberId, assignment: Buffer.from('pa') }, { memberId: b2.memberId, assignment: Buffer.from('pb') }];
  const [, bSync] = await Promise.all([a.sync(a1.memberId, a2.generationId, assignments), b.sync(b2.memberId, b2.generationId)]);
  expect(bSync.assignment.toString()).toBe('pb');
  return { a, b, aId: a1.memberId, bId: b2.memberId, generationId: a2.generationId, groupId };
}

describe.each(targets)('static membership (group.instance.id) on $name', ({ skip, port: startTarget }) => {
  if (skip) return;

  it('gives a restarted follower its previous assignment with no rebalance, and fences its old member id', async () => {
    const port = await startTarget();
    const { a, aId, bId, generationId, groupId } = await stableGroup(port);
    const restarted = await member(port, 'b', groupId);
    const rejoined = await restarted.join('');
    expect(rejoined).toMatchObject({ errorCode: ERROR_CODES.NONE, generationId, leader: aId });
    expect(rejoined.memberId).not.toBe(bId);
    expect((await restarted.sync(rejoined.memberId, generationId)).assignment.toString()).toBe('pb');
    expect(await a.heartbeat(aId, generationId)).toBe(ERROR_CODES.NONE);
    expect(await restarted.heartbeat(bId, generationId)).toBe(ERROR_CODES.FENCED_INSTANCE_ID);
    expect(await restarted.join(bId)).toMatchObject({ errorCode: ERROR_CODES.FENCED_INSTANCE_ID });
    expect((await restarted.sync(bId, generationId)).errorCode).toBe(ERROR_CODES.FENCED_INSTANCE_ID);
  });

  it('lets a restarted leader keep the assignment: told the previous leader id, it does not assign, and nobody rebalances', async () => {
    const port = await startTarget();
    const { b, aId, bId, generationId, groupId } = await stableGroup(port);
    const restarted = await member(port, 'a', groupId);
    const rejoined = await restarted.join('');
    expect(rejoined).toMatchObject({ errorCode: ERROR_CODES.NONE, generationId, leader: aId, members: [] });
    expect((await restarted.sync(rejoined.memberId, generationId)).assignment.toString()).toBe('pa');
    expect(await b.heartbeat(bId, generationId)).toBe(ERROR_CODES.NONE);
    expect(await restarted.heartbeat(aId, generationId)).toBe(ERROR_CODES.FENCED_INSTANCE_ID);
  });

  it('removes a static member that leaves by its group.instance.id, and the others rebalance', async () => {
    const port = await startTarget();
    const { a, b, aId, bId, generationId } = await stableGroup(port);
    expect((await b.leave('wrong-member-id')).members[0]!.errorCode).toBe(ERROR_CODES.FENCED_INSTANCE_ID);
    expect(await a.heartbeat(aId, generationId)).toBe(ERROR_CODES.NONE);
    expect((await b.leave('')).members[0]!.errorCode).toBe(ERROR_CODES.NONE);
    expect(await a.heartbeat(aId, generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
    expect(await b.heartbeat(bId, generationId)).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
  });
});

describe('static membership: session expiry', () => {
  it('keeps a silent static member until its session times out, then rebalances and forgets its instance id', async () => {
    let now = 0;
    const coordinator = new GroupCoordinator({ checkIntervalMs: 5 }, () => now);
    cleanup.push(() => coordinator.close());
    const join = (memberId: string, groupInstanceId: string) => coordinator.join({
      groupId: 'g', memberId, groupInstanceId, clientId: 'c', clientHost: 'h', sessionTimeoutMs: 1_000, rebalanceTimeoutMs: 1_000,
      protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }], requireKnownMemberId: true, supportsSkipAssignment: false,
    });
    const a = await join('', 'a');
    expect(a.errorCode).toBe(ERROR_CODES.NONE);
    await coordinator.sync('g', a.memberId, a.generationId, [{ memberId: a.memberId, assignment: Buffer.from('pa') }]);
    const bJoin = join('', 'b');
    expect(coordinator.heartbeat('g', a.memberId, a.generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
    const [a2, b2] = await Promise.all([join(a.memberId, 'a'), bJoin]);
    await Promise.all([
      coordinator.sync('g', a.memberId, a2.generationId, [{ memberId: a.memberId, assignment: Buffer.from('pa') }, { memberId: b2.memberId, assignment: Buffer.from('pb') }]),
      coordinator.sync('g', b2.memberId, b2.generationId, []),
    ]);
    // "b" goes silent (a static member sends no LeaveGroup on close); within the session nothing moves.
    now += 900;
    expect(coordinator.heartbeat('g', a.memberId, a2.generationId)).toBe(ERROR_CODES.NONE);
    expect(coordinator.group('g')!.members.size).toBe(2);
    now += 200;
    expect(coordinator.heartbeat('g', a.memberId, a2.generationId)).toBe(ERROR_CODES.NONE);
    await expect.poll(() => coordinator.heartbeat('g', a.memberId, a2.generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
    expect(coordinator.group('g')!.staticMembers.has('b')).toBe(false);
    const [late, a3] = await Promise.all([join('', 'b'), join(a.memberId, 'a')]);
    expect(late.memberId).not.toBe(b2.memberId);
    expect(late.generationId).toBe(a3.generationId);
    expect(a3.generationId).toBeGreaterThan(a2.generationId);
  });
});
