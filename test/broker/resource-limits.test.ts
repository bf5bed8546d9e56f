import { connect, type Socket } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaBroker, type KafkaBrokerOptions } from '../../src/broker/index.ts';
import { LogEngine, type LogEngineOptions } from '../../src/log/index.ts';
import { ERROR_CODES, FrameReader, apis, encodeRequest } from '../../src/protocol/index.ts';
import { encodeBatch } from '../../src/record/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { RawClient } from './support/raw-client.ts';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const brokers = new Map<LogEngine, KafkaBroker>();
const brokerOf = (engine: LogEngine) => brokers.get(engine)!;

async function start(options: Partial<KafkaBrokerOptions> = {}, engineOptions: Partial<LogEngineOptions> = {}): Promise<{ engine: LogEngine; port: number; dataDir: string }> {
  const dataDir = join(tempDir(), 'data');
  const engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0, ...engineOptions });
  const broker = new KafkaBroker({ engine, port: 0, ...options });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  brokers.set(engine, broker);
  return { engine, port, dataDir };
}

async function client(port: number): Promise<RawClient> {
  const c = await RawClient.open(port);
  cleanup.push(() => c.close());
  return c;
}

type FetchPartition = { partition: number; fetchOffset?: number; partitionMaxBytes?: number };
function fetchBody(topic: string, partitions: FetchPartition[], maxBytes = 0x7fffffff, maxWaitMs = 0) {
  return {
    replicaId: -1, maxWaitMs, minBytes: 1, maxBytes, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, forgottenTopicsData: [], rackId: '',
    topics: [{ topic, partitions: partitions.map((p) => ({ partition: p.partition, currentLeaderEpoch: -1, fetchOffset: p.fetchOffset ?? 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: p.partitionMaxBytes ?? 0x7fffffff })) }],
  };
}
type FetchedPartition = { partitionIndex: number; errorCode: number; records: Buffer | null };
const partitionsOf = (answer: Record<string, unknown>) => (answer['responses'] as Array<{ partitions: FetchedPartition[] }>)[0]!.partitions;

const value = (bytes: number, fill: string) => ({ key: null, value: Buffer.alloc(bytes, fill), timestamp: 1, headers: [] });

/** Resolves once `read()` has not changed for `quietMs` (it is watched at most `limitMs`). */
async function settled(read: () => number, quietMs = 300, limitMs = 10_000): Promise<number> {
  let last = read();
  let stableSince = Date.now();
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = read();
    if (now !== last) [last, stableSince] = [now, Date.now()];
    else if (Date.now() - stableSince >= quietMs) break;
  }
  return last;
}

describe('kstreams broker resource limits', () => {
  it('refuses a CreateTopics over the partition limits with Kafka\'s codes and creates no directory', async () => {
    const { port, dataDir, engine } = await start({ maxPartitionsPerRequest: 20 }, { maxPartitionsPerTopic: 12 });
    const c = await client(port);
    const create = (topics: Array<[string, number]>, validateOnly = false) => c.request(apis.createTopics, 4, {
      topics: topics.map(([name, numPartitions]) => ({ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] })), timeoutMs: 1000, validateOnly,
    });
    const codes = (answer: Record<string, unknown>) => (answer['topics'] as Array<{ errorCode: number }>).map((t) => t.errorCode);
    expect(codes(await create([['huge', 7000]]))).toEqual([ERROR_CODES.POLICY_VIOLATION]);
    expect(codes(await create([['a', 11], ['b', 11]]))).toEqual([ERROR_CODES.POLICY_VIOLATION, ERROR_CODES.POLICY_VIOLATION]);
    expect(codes(await create([['wide', 13]]))).toEqual([ERROR_CODES.INVALID_PARTITIONS]);
    expect(codes(await create([['wide', 13]], true))).toEqual([ERROR_CODES.INVALID_PARTITIONS]);
    expect(codes(await create([['a', 12], ['b', 8]]))).toEqual([ERROR_CODES.NONE, ERROR_CODES.NONE]);
    expect(await engine.listTopics()).toEqual(['a', 'b']);
    expect(readdirSync(dataDir).filter((f) => /^(huge|wide)-/.test(f))).toEqual([]);
  });

  it('auto-creates at most max-partitions-per-request partitions for one Metadata request', async () => {
    const { engine, port } = await start({ maxPartitionsPerRequest: 10, defaultPartitions: 2 });
    const c = await client(port);
    const names = Array.from({ length: 30 }, (_, i) => `new-${i}`);
    const answer = await c.request(apis.metadata, 9, { topics: names.map((name) => ({ name })), allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    const codes = (answer['topics'] as Array<{ errorCode: number }>).map((t) => t.errorCode);
    expect(codes).toEqual([...Array.from({ length: 5 }, () => ERROR_CODES.NONE), ...Array.from({ length: 25 }, () => ERROR_CODES.INVALID_PARTITIONS)]);
    expect(await engine.listTopics()).toHaveLength(5);
  });

  it('bounds a Fetch by fetch.max.bytes, lets only the first partition exceed it with one batch, and answers a repeated partition once', async () => {
    const { engine, port } = await start({ fetchMaxBytes: 10_000 });
    await engine.createTopic('t', { partitions: 3, config: { 'max.message.bytes': 1_000_000 } });
    for (const partition of [0, 1, 2]) for (let i = 0; i < 10; i++) await engine.produce('t', [{ ...value(3_000, 'x'), partition }]);
    await engine.produce('t', [{ ...value(20_000, 'o'), partition: 0 }]);
    await engine.produce('t', [{ ...value(20_000, 'o'), partition: 1 }]);
    const c = await client(port);

    const repeated = partitionsOf(await c.request(apis.fetch, 12, fetchBody('t', Array.from({ length: 50 }, () => ({ partition: 2 })))));
    expect(repeated).toHaveLength(50);
    expect(repeated[0]!.errorCode).toBe(ERROR_CODES.NONE);
    expect(repeated.slice(1).every((p) => p.errorCode === ERROR_CODES.INVALID_REQUEST && (p.records?.length ?? 0) === 0)).toBe(true);
    const total = (parts: FetchedPartition[]) => parts.reduce((sum, p) => sum + (p.records?.length ?? 0), 0);
    expect(total(repeated)).toBeLessThanOrEqual(10_000);

    const spread = partitionsOf(await c.request(apis.fetch, 12, fetchBody('t', [0, 1, 2].map((partition) => ({ partition })))));
    expect(total(spread)).toBeLessThanOrEqual(10_000);
    expect(spread.every((p) => p.errorCode === ERROR_CODES.NONE)).toBe(true);

    const fetchAt = async (...at: Array<[number, number]>) => partitionsOf(await c.request(apis.fetch, 12, fetchBody('t', at.map(([partition, fetchOffset]) => ({ partition, fetchOffset })))))
      .map((p) => p.records?.length ?? 0);
    const [first, second] = await fetchAt([0, 10], [1, 10]); // both hold a 20 kB batch, over the 10 kB limit
    expect(first).toBeGreaterThan(20_000);
    expect(second).toBe(0);
    const [small, large] = await fetchAt([2, 9], [0, 10]); // a 3 kB batch first: the large one waits for a later fetch
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(0);
  });

  it('stops answering a client that does not read its responses, and loses none of them once it reads', async () => {
    const { engine, port } = await start({ maxUnsentResponseBytes: 256 * 1024, maxQueuedRequestBytes: 2048 });
    await engine.createTopic('t', { config: { 'max.message.bytes': 2_000_000 } });
    await engine.produce('t', [value(1_000_000, 'z')]);
    let served = 0;
    const fetchBatches = engine.fetchBatches.bind(engine);
    engine.fetchBatches = (...args) => {
      served++;
      return fetchBatches(...args);
    };
    const socket: Socket = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => resolve(s));
    });
    cleanup.push(() => socket.destroy());
    socket.pause(); // a client that never reads
    const requests = 60; // 60 MB of responses if nothing held them back
    for (let id = 1; id <= requests; id++) {
      socket.write(encodeRequest(apis.fetch, { apiKey: apis.fetch.apiKey, apiVersion: 12, correlationId: id, clientId: 'slow' }, fetchBody('t', [{ partition: 0 }])));
    }
    const servedWhileStalled = await settled(() => served);
    expect(servedWhileStalled).toBeLessThan(requests / 2); // the kernel's socket buffers hold a few; the broker holds at most 256 KiB more

    const reader = new FrameReader(10_000_000);
    const ids: number[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        for (const frame of reader.push(chunk)) ids.push(frame.readInt32BE(0));
        if (ids.length === requests) resolve();
      });
      socket.on('close', () => reject(new Error(`closed after ${ids.length} responses`)));
      socket.resume();
    });
    expect(ids).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
  });

  it('stops reading a connection whose queued requests exceed the limit while the broker is busy with one', async () => {
    const { engine, port } = await start({ maxQueuedRequestBytes: 64 * 1024 });
    await engine.createTopic('t', { config: { 'max.message.bytes': 200_000 } });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const appendBatch = engine.appendBatch.bind(engine);
    let appended = 0;
    engine.appendBatch = async (...args) => {
      if (appended++ === 0) await gate; // the first request takes long
      return appendBatch(...args);
    };
    const socket: Socket = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => resolve(s));
    });
    cleanup.push(() => socket.destroy());
    const reader = new FrameReader(1_000_000);
    const answered: number[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) answered.push(frame.readInt32BE(0));
    });
    const requests = 120; // 12 MB of requests
    const batch = encodeBatch([value(100_000, 'q')], { baseOffset: 0 });
    for (let id = 1; id <= requests; id++) {
      socket.write(encodeRequest(apis.produce, { apiKey: apis.produce.apiKey, apiVersion: 9, correlationId: id, clientId: 'eager' }, {
        transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 0, records: batch }] }],
      }));
    }
    const brokerSockets = (broker: KafkaBroker) => (broker as unknown as { sockets: Set<Socket> }).sockets;
    const read = await settled(() => [...brokerSockets(brokerOf(engine))].reduce((sum, s) => sum + s.bytesRead, 0));
    expect(read).toBeLessThan(1_000_000); // one request being answered, at most 64 KiB queued, a socket chunk; the rest waits in the client
    expect(appended).toBe(1);
    release();
    for (const deadline = Date.now() + 30_000; answered.length < requests && !socket.destroyed && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
    expect((await engine.listOffsets('t', 0)).latest).toBe(requests);
  });

  it('closes an idle connection, but not one whose long poll is being answered', async () => {
    const { engine, port } = await start({ connectionsMaxIdleMs: 200 });
    await engine.createTopic('t');
    const idle = await client(port);
    const polling = await client(port);
    const answer = await polling.request(apis.fetch, 12, fetchBody('t', [{ partition: 0 }], 1 << 20, 600));
    expect(partitionsOf(answer)[0]!.errorCode).toBe(ERROR_CODES.NONE);
    expect(polling.closed).toBe(false);
    expect(await idle.closedByPeer(5_000)).toBe(true);
  });

  it('closes a connection whose request never finishes arriving, and serves others while a large one arrives', async () => {
    const { port } = await start({ requestReceiveTimeoutMs: 300, maxRequestBytes: 64 * 1024 * 1024 });
    const stalled = await client(port);
    stalled.writeRaw(Buffer.from('000003e8001200000000', 'hex')); // announces 1000 bytes, sends 6
    expect(await stalled.closedByPeer(5_000)).toBe(true);

    const big = await client(port);
    const other = await client(port);
    const size = 16 * 1024 * 1024;
    big.writeRaw(Buffer.from([size >>> 24, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff]));
    const chunk = Buffer.alloc(1024 * 1024);
    for (let sent = 0; sent < size / 2; sent += chunk.length) big.writeRaw(chunk);
    const versions = await other.request(apis.apiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' });
    expect(versions['errorCode']).toBe(ERROR_CODES.NONE);
    expect(big.closed).toBe(false);
  });
});
