import { afterEach, describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../src/broker/index.ts';
import { KafkaCluster } from '../../src/client/index.ts';
import type { CommittedPosition } from '../../src/client/index.ts';
import type { JoinRequest } from '../../src/broker/group-coordinator.ts';
import { ERROR_CODES, apis } from '../../src/protocol/index.ts';
import { COORDINATOR_NOT_READY, coordinatorReady, groupTargets } from './support/group-targets.ts';
import { RawClient } from './support/raw-client.ts';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Each case runs on kstreams broker and on Apache Kafka 4.4 (the spec; skipped without Java). */
const targets = groupTargets(cleanup);
let groupCount = 0;

type JoinAnswer = { errorCode: number; generationId: number; memberId: string; leader: string; protocolName: string | null; members: Array<{ memberId: string }> };

/** A dynamic member (no group.instance.id) over its own connection: a parked JoinGroup blocks it. */
async function dynamicMember(port: number, groupId: string, metadata = 'm') {
  const c = await RawClient.open(port);
  cleanup.push(() => c.close());
  const joinOnce = async (memberId: string, version: number, protocolMetadata = metadata): Promise<JoinAnswer> => {
    for (;;) {
      const answer = await c.request(apis.joinGroup, version, {
        groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.from(protocolMetadata) }], reason: 'test',
      }) as JoinAnswer;
      if (!COORDINATOR_NOT_READY.has(answer.errorCode)) return answer;
    }
  };
  return {
    joinOnce,
    /** JoinGroup v9 as a Kafka 4 client sends it: MEMBER_ID_REQUIRED, then again with the id it got. */
    join: async (): Promise<JoinAnswer> => {
      const first = await joinOnce('', 9);
      expect(first.errorCode).toBe(ERROR_CODES.MEMBER_ID_REQUIRED);
      return joinOnce(first.memberId, 9);
    },
    sync: async (memberId: string, generationId: number, assignments: Array<{ memberId: string; assignment: Buffer }> = [], protocolName = 'range') =>
      c.request(apis.syncGroup, 5, { groupId, generationId, memberId, groupInstanceId: null, protocolType: 'consumer', protocolName, assignments }) as
        Promise<{ errorCode: number; protocolType: string | null; protocolName: string | null; assignment: Buffer }>,
    heartbeat: async (memberId: string, generationId: number) =>
      (await c.request(apis.heartbeat, 4, { groupId, generationId, memberId, groupInstanceId: null }))['errorCode'] as number,
    leave: async (memberId: string) => c.request(apis.leaveGroup, 5, { groupId, members: [{ memberId, groupInstanceId: null, reason: 'test over' }] }) as
      Promise<{ errorCode: number; members: Array<{ memberId: string; errorCode: number }> }>,
  };
}

async function newGroup(port: number): Promise<string> {
  const groupId = `dynamic-${++groupCount}`;
  await coordinatorReady(port, groupId);
  return groupId;
}

/** A stable generation of a leader "a" and a follower "b" with assignments "pa" and "pb". */
async function stableGroup(port: number) {
  const groupId = await newGroup(port);
  const a = await dynamicMember(port, groupId, 'a');
  const b = await dynamicMember(port, groupId, 'b');
  const a1 = await a.join();
  await a.sync(a1.memberId, a1.generationId, [{ memberId: a1.memberId, assignment: Buffer.from('pa') }]);
  const bFirst = await b.joinOnce('', 9);
  const bJoin = b.joinOnce(bFirst.memberId, 9);
  await expect.poll(() => a.heartbeat(a1.memberId, a1.generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
  const [a2, b2] = await Promise.all([a.joinOnce(a1.memberId, 9), bJoin]);
  expect(a2.leader).toBe(a1.memberId);
  const assignments = [{ memberId: a1.memberId, assignment: Buffer.from('pa') }, { memberId: b2.memberId, assignment: Buffer.from('pb') }];
  await Promise.all([a.sync(a1.memberId, a2.generationId, assignments), b.sync(b2.memberId, b2.generationId)]);
  return { groupId, a, b, aId: a1.memberId, bId: b2.memberId, generationId: a2.generationId };
}

/**
 * Answers Apache Kafka gives while it sets up its coordinators, finishes the previous transaction
 * step, or has not yet spread a new topic's metadata to its coordinators.
 */
const RETRIABLE = new Set<number>([...COORDINATOR_NOT_READY, ERROR_CODES.CONCURRENT_TRANSACTIONS, ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION]);

/** Sends until the answer's error code (read by `codeOf`) is not a retriable one. */
async function untilSettled<T extends Record<string, unknown>>(send: () => Promise<T>, codeOf: (answer: T) => number = (a) => a['errorCode'] as number): Promise<T> {
  for (;;) {
    const answer = await send();
    if (!RETRIABLE.has(codeOf(answer))) return answer;
  }
}

type FetchedGroup = { topics: Array<{ partitions: Array<{ partitionIndex: number; committedOffset: number; errorCode: number }> }> };

/** The error code of the first partition of an OffsetCommit or TxnOffsetCommit answer. */
const codeOfFirstPartition = (answer: Record<string, unknown>) => (answer['topics'] as FetchedGroup['topics'])[0]!.partitions[0]!.errorCode;

async function createTopic(c: RawClient, name: string, partitions = 1): Promise<string> {
  const created = await c.request(apis.createTopics, 5, { topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 30_000, validateOnly: false });
  expect(created).toMatchObject({ topics: [{ name, errorCode: ERROR_CODES.NONE }] });
  return name;
}

describe.each(targets)('classic group protocol on $name', ({ skip, port: startTarget }) => {
  if (skip) return;

  it('serves JoinGroup up to v9, LeaveGroup up to v5 and SyncGroup up to v5, as Kafka 4.4 does', async () => {
    const c = await RawClient.open(await startTarget());
    cleanup.push(() => c.close());
    const answer = await c.request(apis.apiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' }) as { apiKeys: Array<{ apiKey: number; maxVersion: number }> };
    const max = (api: { apiKey: number }) => answer.apiKeys.find((k) => k.apiKey === api.apiKey)?.maxVersion;
    expect([max(apis.joinGroup), max(apis.leaveGroup), max(apis.syncGroup), max(apis.heartbeat)]).toEqual([9, 5, 5, 4]);
  });

  it('gives a new dynamic member its id with MEMBER_ID_REQUIRED and lets it join with that id (KIP-394)', async () => {
    const port = await startTarget();
    const groupId = await newGroup(port);
    const m = await dynamicMember(port, groupId);
    const first = await m.joinOnce('', 4);
    expect(first.errorCode).toBe(ERROR_CODES.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^raw-/);
    const joined = await m.joinOnce(first.memberId, 8);
    expect(joined).toMatchObject({ errorCode: ERROR_CODES.NONE, memberId: first.memberId, leader: first.memberId, protocolName: 'range', members: [{ memberId: first.memberId }] });
    const synced = await m.sync(first.memberId, joined.generationId, [{ memberId: first.memberId, assignment: Buffer.from('all') }]);
    expect(synced).toMatchObject({ errorCode: ERROR_CODES.NONE, protocolType: 'consumer', protocolName: 'range' });
    expect(synced.assignment.toString()).toBe('all');
    expect((await m.leave(first.memberId)).members).toEqual([expect.objectContaining({ memberId: first.memberId, errorCode: ERROR_CODES.NONE })]);
  });

  it('refuses a member id it never handed out with UNKNOWN_MEMBER_ID, in a group that exists and in one that does not', async () => {
    const port = await startTarget();
    const groupId = await newGroup(port);
    const m = await dynamicMember(port, groupId);
    expect((await m.joinOnce('made-up-id', 9)).errorCode).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
    expect((await m.joinOnce('made-up-id', 3)).errorCode).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
    const joined = await m.join();
    expect(joined.errorCode).toBe(ERROR_CODES.NONE);
    expect((await m.joinOnce('made-up-id', 9)).errorCode).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
  });

  it('has a member id that was handed out but not used yet leave, and knows it in no heartbeat', async () => {
    const port = await startTarget();
    const groupId = await newGroup(port);
    const m = await dynamicMember(port, groupId);
    const first = await m.joinOnce('', 9);
    expect(await m.heartbeat(first.memberId, 0)).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
    expect((await m.leave(first.memberId)).members[0]!.errorCode).toBe(ERROR_CODES.NONE);
    expect((await m.joinOnce(first.memberId, 9)).errorCode).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
  });

  it('lets a follower rejoin a stable group with the same metadata without a rebalance; the leader rejoining starts one', async () => {
    const port = await startTarget();
    const { a, b, aId, bId, generationId } = await stableGroup(port);
    expect(await b.joinOnce(bId, 9)).toMatchObject({ errorCode: ERROR_CODES.NONE, generationId, leader: aId, members: [] });
    expect(await a.heartbeat(aId, generationId)).toBe(ERROR_CODES.NONE);
    const aJoin = a.joinOnce(aId, 9);
    await expect.poll(() => b.heartbeat(bId, generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
    const [a3, b3] = await Promise.all([aJoin, b.joinOnce(bId, 9)]);
    expect([a3.generationId, b3.generationId]).toEqual([generationId + 1, generationId + 1]);
  });

  it('takes offset commits as Kafka does: a member of the current generation also while the group waits for it to rejoin; none from outside an active group', async () => {
    const port = await startTarget();
    const { groupId, a, b, aId, bId, generationId } = await stableGroup(port);
    const c = await RawClient.open(port);
    cleanup.push(() => c.close());
    const topic = await createTopic(c, `commits-${groupCount}`);
    const commit = async (memberId: string, generation: number) => codeOfFirstPartition(await untilSettled(() => c.request(apis.offsetCommit, 8, {
      groupId, generationIdOrMemberEpoch: generation, memberId, topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null }] }],
    }), codeOfFirstPartition));
    expect(await commit('', -1)).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
    expect(await commit(bId, generationId + 1)).toBe(ERROR_CODES.ILLEGAL_GENERATION);
    // The leader rejoins: the group prepares a rebalance, and b, not yet rejoined, commits what it read.
    const aJoin = a.joinOnce(aId, 9);
    await expect.poll(() => b.heartbeat(bId, generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
    expect(await commit(bId, generationId)).toBe(ERROR_CODES.NONE);
    const [a3, b3] = await Promise.all([aJoin, b.joinOnce(bId, 9)]);
    // Between JoinGroup and the leader's SyncGroup, commits wait for the assignment.
    expect(await commit(bId, b3.generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
    await Promise.all([a.sync(aId, a3.generationId, [{ memberId: aId, assignment: Buffer.from('pa') }, { memberId: bId, assignment: Buffer.from('pb') }]), b.sync(bId, b3.generationId)]);
    expect(await commit(bId, b3.generationId)).toBe(ERROR_CODES.NONE);
    await Promise.all([a.leave(aId), b.leave(bId)]);
    expect(await commit('', -1)).toBe(ERROR_CODES.NONE);
  });

  it('refuses a SyncGroup v5 that names another protocol than the group chose with INCONSISTENT_GROUP_PROTOCOL', async () => {
    const port = await startTarget();
    const { b, bId, generationId } = await stableGroup(port);
    expect((await b.sync(bId, generationId, [], 'roundrobin')).errorCode).toBe(ERROR_CODES.INCONSISTENT_GROUP_PROTOCOL);
    expect((await b.sync(bId, generationId)).assignment.toString()).toBe('pb');
  });
});

/**
 * A group whose partition 0 has offset 2 committed, and offset 5 held by an open transaction
 * (AddOffsetsToTxn, TxnOffsetCommit, no EndTxn yet). `endTransaction` commits it.
 */
async function offsetsHeldByTransaction(port: number, { committedBefore = true } = {}) {
  const groupId = await newGroup(port);
  const transactionalId = `offsets-${groupCount}`;
  const c = await RawClient.open(port);
  cleanup.push(() => c.close());
  const topic = await createTopic(c, `stable-${groupCount}`, 2);
  if (committedBefore) {
    const commit = await untilSettled(() => c.request(apis.offsetCommit, 8, {
      groupId, generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 2, committedLeaderEpoch: -1, committedMetadata: null }] }],
    }), codeOfFirstPartition);
    expect(commit).toMatchObject({ topics: [{ partitions: [{ errorCode: ERROR_CODES.NONE }] }] });
  }
  await coordinatorReady(port, transactionalId, 1);
  const producer = await untilSettled(() => c.request(apis.initProducerId, 4, { transactionalId, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 }));
  const identity = { transactionalId, producerId: producer['producerId'], producerEpoch: producer['producerEpoch'] };
  expect((await untilSettled(() => c.request(apis.addOffsetsToTxn, 3, { ...identity, groupId })))['errorCode']).toBe(ERROR_CODES.NONE);
  const held = await untilSettled(() => c.request(apis.txnOffsetCommit, 3, {
    ...identity, groupId, generationId: -1, memberId: '', groupInstanceId: null,
    // Partition 1 has no committed offset before: its first one is the transaction's.
    topics: [{ name: topic, partitions: [
      { partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: null },
      { partitionIndex: 1, committedOffset: 7, committedLeaderEpoch: -1, committedMetadata: null },
    ] }],
  }), codeOfFirstPartition);
  expect(held).toMatchObject({ topics: [{ partitions: [{ errorCode: ERROR_CODES.NONE }, { errorCode: ERROR_CODES.NONE }] }] });
  const endTransaction = async (): Promise<void> => {
    expect((await untilSettled(() => c.request(apis.endTxn, 3, { ...identity, committed: true })))['errorCode']).toBe(ERROR_CODES.NONE);
  };
  return { c, groupId, topic, endTransaction };
}

describe.each(targets)('OffsetFetch require_stable on $name', ({ skip, port: startTarget }) => {
  if (skip) return;

  it('answers UNSTABLE_OFFSET_COMMIT for a partition whose offset an open transaction holds, until the transaction ends', async () => {
    const { c, groupId, topic, endTransaction } = await offsetsHeldByTransaction(await startTarget());
    const fetchV8 = async (requireStable: boolean) => ((await c.request(apis.offsetFetch, 8, {
      groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [0, 1] }] }], requireStable,
    }))['groups'] as FetchedGroup[])[0]!.topics[0]!.partitions;
    const fetchV7 = async (requireStable: boolean) => ((await c.request(apis.offsetFetch, 7, {
      groupId, topics: [{ name: topic, partitionIndexes: [0] }], requireStable,
    })) as unknown as FetchedGroup).topics[0]!.partitions;
    expect(await fetchV8(true)).toEqual([
      expect.objectContaining({ partitionIndex: 0, committedOffset: -1, errorCode: ERROR_CODES.UNSTABLE_OFFSET_COMMIT }),
      expect.objectContaining({ partitionIndex: 1, committedOffset: -1, errorCode: ERROR_CODES.UNSTABLE_OFFSET_COMMIT }),
    ]);
    expect(await fetchV7(true)).toEqual([expect.objectContaining({ committedOffset: -1, errorCode: ERROR_CODES.UNSTABLE_OFFSET_COMMIT })]);
    // Without require_stable the last committed offset is answered, as before the transaction.
    expect(await fetchV8(false)).toEqual([
      expect.objectContaining({ partitionIndex: 0, committedOffset: 2, errorCode: ERROR_CODES.NONE }),
      expect.objectContaining({ partitionIndex: 1, committedOffset: -1, errorCode: ERROR_CODES.NONE }),
    ]);

    // A fetch of all the group's offsets lists only partitions with a committed offset: partition 1 is missing, not unstable.
    const fetchAll = async () => ((await c.request(apis.offsetFetch, 8, { groups: [{ groupId, topics: null }], requireStable: true }))['groups'] as FetchedGroup[])[0]!.topics;
    expect(await fetchAll()).toEqual([expect.objectContaining({ name: topic, partitions: [expect.objectContaining({ partitionIndex: 0, errorCode: ERROR_CODES.UNSTABLE_OFFSET_COMMIT })] })]);

    await endTransaction();
    // Apache Kafka applies the offsets when the commit marker reaches the offsets topic, a moment after EndTxn.
    await expect.poll(async () => await fetchV8(true)).toEqual([
      expect.objectContaining({ partitionIndex: 0, committedOffset: 5, errorCode: ERROR_CODES.NONE }),
      expect.objectContaining({ partitionIndex: 1, committedOffset: 7, errorCode: ERROR_CODES.NONE }),
    ]);
  });

  it('KafkaCluster.committedOffsets under read_committed waits for the transaction, also for a partition whose first offset it holds; otherwise it answers at once', async () => {
    const port = await startTarget();
    const { groupId, topic, endTransaction } = await offsetsHeldByTransaction(port);
    const cluster = await KafkaCluster.connect({ bootstrapServers: [`127.0.0.1:${port}`], clientId: 'stable-offsets', groupId });
    cleanup.push(() => cluster.close());
    const ofTopic = (positions: CommittedPosition[]) => positions.filter((p) => p.topic === topic);
    expect(ofTopic(await cluster.committedOffsets(groupId))).toEqual([{ topic, partition: 0, offset: 2 }]);
    let settled = false;
    const partitions = [{ topic, partition: 0 }, { topic, partition: 1 }];
    const stable = cluster.committedOffsets(groupId, 'read_committed', partitions).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await endTransaction();
    expect(await stable).toEqual([{ topic, partition: 0, offset: 5 }, { topic, partition: 1, offset: 7 }]);
  });

  it('KafkaCluster.committedOffsets must be given the partitions: asked for the whole group, it misses offsets a first transaction holds', async () => {
    const port = await startTarget();
    const { groupId, topic, endTransaction } = await offsetsHeldByTransaction(port, { committedBefore: false });
    const cluster = await KafkaCluster.connect({ bootstrapServers: [`127.0.0.1:${port}`], clientId: 'first-offsets', groupId });
    cleanup.push(() => cluster.close());
    // As on Kafka: the whole group's answer lists only partitions that already have an offset, so nothing is waited for.
    expect(await cluster.committedOffsets(groupId, 'read_committed')).toEqual([]);
    const stable = cluster.committedOffsets(groupId, 'read_committed', [{ topic, partition: 0 }, { topic, partition: 1 }]);
    await endTransaction();
    expect(await stable).toEqual([{ topic, partition: 0, offset: 5 }, { topic, partition: 1, offset: 7 }]);
  });
});

describe('member ids handed out with MEMBER_ID_REQUIRED (kstreams broker only: it needs a clock to move)', () => {
  const request = (memberId: string): JoinRequest => ({
    groupId: 'g', memberId, groupInstanceId: null, clientId: 'c', clientHost: 'h', sessionTimeoutMs: 1_000, rebalanceTimeoutMs: 5_000,
    protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }], requireKnownMemberId: true, supportsSkipAssignment: true,
  });

  it('holds a rebalance for an id handed out until it joins, and forgets an id unused for its session timeout', async () => {
    let now = 0;
    const coordinator = new GroupCoordinator({ checkIntervalMs: 5 }, () => now);
    cleanup.push(() => coordinator.close());
    const a = await coordinator.join(request((await coordinator.join(request(''))).memberId));
    await coordinator.sync('g', a.memberId, a.generationId, [{ memberId: a.memberId, assignment: Buffer.from('all') }]);
    const b = await coordinator.join(request(''));
    const c = await coordinator.join(request(''));
    expect([b.errorCode, c.errorCode]).toEqual([ERROR_CODES.MEMBER_ID_REQUIRED, ERROR_CODES.MEMBER_ID_REQUIRED]);
    // b joins; a rejoins; the generation still waits for c, whose id is out.
    let completed = false;
    const joins = Promise.all([coordinator.join(request(b.memberId)), coordinator.join(request(a.memberId))]).then((all) => ((completed = true), all));
    await expect.poll(() => coordinator.group('g')!.members.get(a.memberId)!.pendingJoin !== undefined).toBe(true);
    expect(completed).toBe(false);
    now += 1_001;
    const [b2, a2] = await joins;
    expect([a2.generationId, b2.generationId]).toEqual([a.generationId + 1, a.generationId + 1]);
    expect(coordinator.group('g')!.pendingMembers.size).toBe(0);
    expect((await coordinator.join(request(c.memberId))).errorCode).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
  });
});
