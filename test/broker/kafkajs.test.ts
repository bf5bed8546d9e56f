import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { join } from 'node:path';
import { KafkaBroker } from '../../src/broker/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { tempDir } from '../support/temp-dir.ts';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

async function startBroker(): Promise<{ engine: LogEngine; port: number }> {
  const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  return { engine, port };
}

function client(port: number): Kafka {
  return new Kafka({ clientId: 'kafkajs-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } });
}

describe('kafkajs 2.2 against kstreams broker', () => {
  it('creates a topic, produces keyed records with headers, consumes them, and they are in the log engine too', async () => {
    const { engine, port } = await startBroker();
    const kafka = client(port);
    const admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
    expect(engine.partitionCount('orders')).toBe(3);
    const producer = kafka.producer();
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    await producer.send({ topic: 'orders', messages: Array.from({ length: 30 }, (_, i) => ({ key: `user-${i % 5}`, value: `order-${i}`, headers: { source: 'test' } })) });
    const consumer = kafka.consumer({ groupId: 'readers', sessionTimeout: 6_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
    await consumer.connect();
    cleanup.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(`${message.key?.toString()}=${message.value?.toString()}:${message.headers?.['source']?.toString()}`);
          if (seen.length === 30) resolve();
        },
      });
    });
    expect(seen.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `user-${i % 5}=order-${i}:test`).sort());
    let inEngine = 0;
    for (let p = 0; p < 3; p++) inEngine += (await engine.fetch('orders', p, 0)).length;
    expect(inEngine).toBe(30);
  }, 30_000);
});

describe('kafkajs admin: topic configs', () => {
  it('describes a topic\'s configs, telling set keys from defaults, and answers unknown topics with an error', async () => {
    const { port } = await startBroker();
    const admin = client(port).admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: 'ledger', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'message.timestamp.type', value: 'LogAppendTime' }] }] });
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'ledger' }] });
    const entries = new Map(resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(entries.get('cleanup.policy')).toMatchObject({ configValue: 'compact', isDefault: false });
    expect(entries.get('message.timestamp.type')).toMatchObject({ configValue: 'LogAppendTime', isDefault: false });
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '604800000', isDefault: true });
    const some = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'ledger', configNames: ['segment.bytes'] }] });
    expect(some.resources[0]!.configEntries.map((e) => e.configName)).toEqual(['segment.bytes']);
    await expect(admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'missing' }] })).rejects.toThrow(/does not host this topic/);
  });
});

describe('kafkajs admin: deleting records', () => {
  it('moves the log start offset, as the engine sees it, and refuses an offset past the end', async () => {
    const { engine, port } = await startBroker();
    const kafka = client(port);
    const admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: 'purged', numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    await producer.send({ topic: 'purged', messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await admin.fetchTopicMetadata({ topics: ['purged'] }); // kafkajs looks leaders up in its metadata cache only
    await admin.deleteTopicRecords({ topic: 'purged', partitions: [{ partition: 0, offset: '6' }] });
    expect(await engine.listOffsets('purged', 0)).toEqual({ earliest: 6, latest: 10 });
    expect(await admin.fetchTopicOffsets('purged')).toMatchObject([{ partition: 0, low: '6', high: '10' }]);
    await expect(admin.deleteTopicRecords({ topic: 'purged', partitions: [{ partition: 0, offset: '11' }] })).rejects.toThrow();
    expect(await engine.listOffsets('purged', 0)).toEqual({ earliest: 6, latest: 10 });
  });
});

describe('kafkajs consumer groups against kstreams broker', () => {
  it('two members split the partitions; when one leaves, the other takes over and resumes from committed offsets', async () => {
    const { engine, port } = await startBroker();
    const kafka = client(port);
    const admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 4 }] });
    const producer = kafka.producer();
    await producer.connect();
    cleanup.push(() => producer.disconnect());

    const assigned = new Map<string, number[]>();
    const received = new Map<string, Set<string>>();
    const startMember = async (name: string) => {
      const consumer = kafka.consumer({ groupId: 'workers', sessionTimeout: 6_000, heartbeatInterval: 200, rebalanceTimeout: 5_000, maxWaitTimeInMs: 100 });
      consumer.on(consumer.events.GROUP_JOIN, (event) => assigned.set(name, (event.payload.memberAssignment['events'] ?? []).slice().sort()));
      await consumer.connect();
      await consumer.subscribe({ topic: 'events', fromBeginning: true });
      received.set(name, new Set());
      await consumer.run({ eachMessage: async ({ message }) => void received.get(name)!.add(message.value!.toString()) });
      return consumer;
    };
    const first = await startMember('first');
    const second = await startMember('second');
    cleanup.push(() => second.disconnect());
    await waitFor(() => (assigned.get('first')?.length ?? 0) + (assigned.get('second')?.length ?? 0) === 4 && assigned.get('first')!.length > 0 && assigned.get('second')!.length > 0, 'both members assigned');
    expect([...assigned.get('first')!, ...assigned.get('second')!].sort()).toEqual([0, 1, 2, 3]);

    await producer.send({ topic: 'events', messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `a${i}` })) });
    await waitFor(() => received.get('first')!.size + received.get('second')!.size === 40, 'all 40 records consumed by the two members');

    await first.disconnect(); // leaves the group: the survivor gets every partition
    await waitFor(() => assigned.get('second')?.length === 4, 'the survivor owns all four partitions');
    await producer.send({ topic: 'events', messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `b${i}` })) });
    await waitFor(() => [...received.get('second')!].filter((v) => v.startsWith('b')).length === 20, 'the survivor consumed the new records');
    // Committed offsets let the survivor resume where the leaver stopped: no record of the first batch is read twice by it.
    const firstBatchBySecond = [...received.get('second')!].filter((v) => v.startsWith('a')).length;
    expect(firstBatchBySecond).toBe(40 - received.get('first')!.size);
    const committed = await engine.fetchOffsets('workers');
    expect(committed.reduce((sum, c) => sum + c.offset, 0)).toBeGreaterThan(0);
  }, 60_000);

  it('lists and describes groups, and reads offsets set by the admin client', async () => {
    const { port } = await startBroker();
    const kafka = client(port);
    const admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 2 }] });
    const consumer = kafka.consumer({ groupId: 'described', maxWaitTimeInMs: 100 });
    await consumer.connect();
    cleanup.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: 't' });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => void (joined = true));
    await consumer.run({ eachMessage: async () => undefined });
    await waitFor(() => joined, 'the consumer joined');
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain('described');
    const { groups: [described] } = await admin.describeGroups(['described']);
    expect(described).toMatchObject({ groupId: 'described', state: 'Stable', protocolType: 'consumer' });
    expect(described!.members).toHaveLength(1);
    await consumer.disconnect();
    await admin.setOffsets({ groupId: 'described', topic: 't', partitions: [{ partition: 0, offset: '7' }, { partition: 1, offset: '3' }] });
    const offsets = await admin.fetchOffsets({ groupId: 'described', topics: ['t'] });
    expect(offsets[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([[0, '7'], [1, '3']]);
  }, 30_000);
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
