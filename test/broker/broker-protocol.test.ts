import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KafkaBroker, GroupCoordinator } from '../../src/broker/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { ERROR_CODES, apis } from '../../src/protocol/index.ts';
import { encodeBatch } from '../../src/record/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { RawClient } from './support/raw-client.ts';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function start(options: { maxRequestBytes?: number } = {}): Promise<{ engine: LogEngine; port: number }> {
  const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
  const broker = new KafkaBroker({ engine, port: 0, ...options });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  return { engine, port };
}

async function client(port: number): Promise<RawClient> {
  const c = await RawClient.open(port);
  cleanup.push(() => c.close());
  return c;
}

describe('kstreams broker, request by request', () => {
  it('answers an ApiVersions request of an unknown version with v0 and the served versions (KIP-511)', async () => {
    const { port } = await start();
    const c = await client(port);
    const answer = await c.request({ ...apis.apiVersions, maxVersion: 9 }, 9, { clientSoftwareName: 'future', clientSoftwareVersion: '9' }, 0);
    expect(answer['errorCode']).toBe(ERROR_CODES.UNSUPPORTED_VERSION);
    expect(answer['apiKeys']).toContainEqual({ apiKey: 18, minVersion: 0, maxVersion: 3 });
    expect((answer['apiKeys'] as Array<{ apiKey: number }>).map((k) => k.apiKey)).toEqual(expect.arrayContaining([0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22]));
    expect(c.closed).toBe(false);
  });

  it('produces and fetches the client\'s record batches unchanged, with offsets assigned', async () => {
    const { engine, port } = await start();
    await engine.createTopic('t', { partitions: 1 });
    const c = await client(port);
    const batch = encodeBatch([{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 5, headers: [] }], { baseOffset: 0 });
    const produced = await c.request(apis.produce, 9, { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 0, records: batch }] }] });
    expect(produced).toMatchObject({ responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 0 }] }] });
    const fetched = await c.request(apis.fetch, 12, {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [], rackId: '',
    });
    const partition = (fetched['responses'] as Array<{ partitions: Array<{ records: Buffer; highWatermark: number }> }>)[0]!.partitions[0]!;
    expect(partition.highWatermark).toBe(1);
    expect(partition.records.equals(batch)).toBe(true);
  });

  it('deletes records (v0 and flexible v2) with per-partition errors, and a Fetch below the new start is out of range', async () => {
    const { engine, port } = await start();
    await engine.createTopic('t', { partitions: 2 });
    await engine.produce('t', Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: i, headers: [], partition: 0 })));
    const c = await client(port);
    const versions = await c.request(apis.apiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' });
    expect(versions['apiKeys']).toContainEqual({ apiKey: 21, minVersion: 0, maxVersion: 2 });
    const v0 = await c.request(apis.deleteRecords, 0, {
      timeoutMs: 1000,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: 4 }, { partitionIndex: 1, offset: 1 }, { partitionIndex: 7, offset: 0 }] }, { name: 'nope', partitions: [{ partitionIndex: 0, offset: 0 }] }],
    });
    expect(v0['topics']).toEqual([
      { name: 't', partitions: [
        { partitionIndex: 0, lowWatermark: 4, errorCode: ERROR_CODES.NONE },
        { partitionIndex: 1, lowWatermark: -1, errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE },
        { partitionIndex: 7, lowWatermark: -1, errorCode: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION },
      ] },
      { name: 'nope', partitions: [{ partitionIndex: 0, lowWatermark: -1, errorCode: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION }] },
    ]);
    const v2 = await c.request(apis.deleteRecords, 2, { timeoutMs: 1000, topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: 2 }] }] });
    expect(v2['topics']).toEqual([{ name: 't', partitions: [{ partitionIndex: 0, lowWatermark: 4, errorCode: ERROR_CODES.NONE }] }]); // never backwards
    const fetched = await c.request(apis.fetch, 5, {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 3, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
    });
    expect(fetched).toMatchObject({ responses: [{ partitions: [{ errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE, logStartOffset: 4, highWatermark: 10 }] }] });
    const all = await c.request(apis.deleteRecords, 2, { timeoutMs: 1000, topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: -1 }] }] });
    expect(all['topics']).toEqual([{ name: 't', partitions: [{ partitionIndex: 0, lowWatermark: 10, errorCode: ERROR_CODES.NONE }] }]);
    expect(await engine.listOffsets('t', 0)).toEqual({ earliest: 10, latest: 10 });
  });

  it('holds a Fetch until data arrives or max wait passes (long poll)', async () => {
    const { engine, port } = await start();
    await engine.createTopic('t', { partitions: 1 });
    const c = await client(port);
    const fetch = (maxWaitMs: number) => c.request(apis.fetch, 4, {
      replicaId: -1, maxWaitMs, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
    });
    const started = Date.now();
    const pending = fetch(5_000);
    setTimeout(() => void engine.produce('t', [{ key: null, value: Buffer.from('late'), timestamp: 1, headers: [] }]), 100);
    const response = await pending;
    const records = (response['responses'] as Array<{ partitions: Array<{ records: Buffer }> }>)[0]!.partitions[0]!.records;
    expect(records.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(4_000); // woken by the append, not by the timeout
  });

  it('fences offset commits and heartbeats of an old generation', async () => {
    const { engine, port } = await start();
    await engine.createTopic('t', { partitions: 1 });
    const c = await client(port);
    const join = (memberId: string) => c.request(apis.joinGroup, 3, {
      groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 1_000, memberId, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    });
    const first = await join('');
    const memberId = first['memberId'] as string;
    await c.request(apis.syncGroup, 3, { groupId: 'g', generationId: first['generationId'], memberId, assignments: [{ memberId, assignment: Buffer.from([1]) }] });
    const second = await join(memberId); // a rejoin: generation moves on
    expect(second['generationId']).toBe((first['generationId'] as number) + 1);
    const stale = await c.request(apis.offsetCommit, 2, {
      groupId: 'g', generationIdOrMemberEpoch: first['generationId'], memberId, retentionTimeMs: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5, committedMetadata: null }] }],
    });
    expect(stale).toMatchObject({ topics: [{ partitions: [{ errorCode: ERROR_CODES.ILLEGAL_GENERATION }] }] });
    expect(await c.request(apis.heartbeat, 1, { groupId: 'g', generationId: first['generationId'], memberId })).toMatchObject({ errorCode: ERROR_CODES.ILLEGAL_GENERATION });
    expect(await engine.fetchOffsets('g')).toEqual([]);
  });

  it('closes only the connection of a malformed or oversized request, and keeps serving others', async () => {
    const { port } = await start({ maxRequestBytes: 1024 });
    const bad = await client(port);
    bad.writeRaw(Buffer.from('0000000a00120000ffff', 'hex')); // claims 10 bytes, sends 6 then stops: incomplete, stays open
    bad.writeRaw(Buffer.from('0000', 'hex'));
    bad.writeRaw(Buffer.from('000000050003', 'hex')); // a truncated header
    expect(await bad.closedByPeer()).toBe(true);
    const huge = await client(port);
    huge.writeRaw(Buffer.from('00100000', 'hex')); // 1 MiB announced
    expect(await huge.closedByPeer()).toBe(true);
    const unknownApi = await client(port);
    unknownApi.writeRaw(Buffer.from('00000008' + '00fe' + '0000' + '00000001', 'hex'));
    expect(await unknownApi.closedByPeer()).toBe(true);
    const good = await client(port);
    expect((await good.request(apis.apiVersions, 2, {}))['errorCode']).toBe(0);
  });
});

describe('group coordinator', () => {
  it('removes a member whose session times out, and the group rebalances without it', async () => {
    let now = 0;
    const coordinator = new GroupCoordinator({ checkIntervalMs: 5 }, () => now);
    cleanup.push(() => coordinator.close());
    const join = (memberId: string) => coordinator.join({
      groupId: 'g', memberId, groupInstanceId: null, clientId: 'c', clientHost: 'h', sessionTimeoutMs: 1_000, rebalanceTimeoutMs: 1_000,
      protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }], requireKnownMemberId: false, supportsSkipAssignment: true,
    });
    const a = await join('');
    await coordinator.sync('g', a.memberId, a.generationId, [{ memberId: a.memberId, assignment: Buffer.from('all') }]);
    const bJoin = join('');
    // a learns about the rebalance from its heartbeat and rejoins; then b is alone after a stops heartbeating.
    expect(coordinator.heartbeat('g', a.memberId, a.generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
    const [a2, b] = await Promise.all([join(a.memberId), bJoin]);
    expect(a2.generationId).toBe(2);
    expect(b.generationId).toBe(2);
    now += 1_500;
    coordinator.heartbeat('g', b.memberId, b.generationId);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect([...coordinator.group('g')!.members.keys()]).toEqual([b.memberId]);
    expect(coordinator.heartbeat('g', b.memberId, b.generationId)).toBe(ERROR_CODES.REBALANCE_IN_PROGRESS);
    expect(coordinator.heartbeat('g', a.memberId, a2.generationId)).toBe(ERROR_CODES.UNKNOWN_MEMBER_ID);
  });
});
