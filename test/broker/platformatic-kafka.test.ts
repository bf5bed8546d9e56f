import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { KafkaBroker } from '../../src/broker/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { setLogLevel } from '../../src/common/index.ts';
import { tempDir } from '../support/temp-dir.ts';

setLogLevel('warn');
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

async function startBroker(): Promise<{ engine: LogEngine; brokers: string[] }> {
  const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  return { engine, brokers: [`127.0.0.1:${port}`] };
}

describe('@platformatic/kafka 1.35 against kstreams broker (flexible protocol versions)', () => {
  it('admin creates a topic, the producer sends keyed records with headers, a consumer group reads them and commits', async () => {
    const { engine, brokers } = await startBroker();
    const admin = new Admin({ clientId: 'pk-admin', bootstrapBrokers: brokers });
    cleanup.push(() => admin.close());
    await admin.createTopics({ topics: ['payments'], partitions: 2, replicas: 1 });
    expect(engine.partitionCount('payments')).toBe(2);

    const producer = new Producer({ clientId: 'pk-producer', bootstrapBrokers: brokers, serializers: stringSerializers });
    cleanup.push(() => producer.close());
    await producer.send({ messages: Array.from({ length: 20 }, (_, i) => ({ topic: 'payments', key: `order-${i % 4}`, value: `paid-${i}`, headers: { via: 'pk' } })) });

    const consumer = new Consumer({ groupId: 'pk-readers', clientId: 'pk-consumer', bootstrapBrokers: brokers, deserializers: stringDeserializers, maxWaitTime: 100 });
    cleanup.push(() => new Promise((resolve) => consumer.close(true, resolve)));
    const stream = await consumer.consume({ topics: ['payments'], mode: 'earliest', autocommit: 100, sessionTimeout: 6_000, heartbeatInterval: 300 });
    const seen: string[] = [];
    for await (const message of stream) {
      seen.push(`${message.key}=${message.value}:${String(message.headers.get('via'))}`);
      if (seen.length === 20) break;
    }
    expect(seen.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `order-${i % 4}=paid-${i}:pk`).sort());
    const inEngine = (await engine.fetch('payments', 0, 0)).length + (await engine.fetch('payments', 1, 0)).length;
    expect(inEngine).toBe(20);
  }, 30_000);

  it('two consumers of one group split the partitions; when one closes, the other takes them all over', async () => {
    const { brokers } = await startBroker();
    const admin = new Admin({ clientId: 'pk-admin', bootstrapBrokers: brokers });
    cleanup.push(() => admin.close());
    await admin.createTopics({ topics: ['jobs'], partitions: 4, replicas: 1 });
    const producer = new Producer({ clientId: 'pk-producer', bootstrapBrokers: brokers, serializers: stringSerializers });
    cleanup.push(() => producer.close());
    const received = { a: new Set<string>(), b: new Set<string>() };
    // A consumer stream that fails stops consuming; say so when a wait below times out.
    const streamErrors: string[] = [];
    const start = async (name: 'a' | 'b') => {
      const consumer = new Consumer({ groupId: 'pk-workers', clientId: `pk-${name}`, bootstrapBrokers: brokers, deserializers: stringDeserializers, maxWaitTime: 100 });
      const stream = await consumer.consume({ topics: ['jobs'], mode: 'earliest', autocommit: 50, sessionTimeout: 6_000, heartbeatInterval: 200 });
      stream.on('data', (message) => received[name].add(String(message.value)));
      stream.on('error', (error: Error) => streamErrors.push(`${name}: ${error.message}`));
      return consumer;
    };
    const a = await start('a');
    const b = await start('b');
    cleanup.push(() => new Promise((resolve) => b.close(true, resolve)));
    const partitionsOf = (c: { assignments: Array<{ partitions: number[] }> | null }) => (c.assignments ?? []).flatMap((t) => t.partitions).sort();
    await waitFor(() => partitionsOf(a).length > 0 && partitionsOf(b).length > 0 && partitionsOf(a).length + partitionsOf(b).length === 4, 'both consumers assigned');
    await producer.send({ messages: Array.from({ length: 40 }, (_, i) => ({ topic: 'jobs', key: `k${i}`, value: `first-${i}` })) });
    // Consumption is at least once: a member that has not yet seen the rebalance may still read a
    // partition that moved, so the two may both hold a job. Every job must be seen by one of them.
    const seenByEither = () => new Set([...received.a, ...received.b]).size;
    await waitFor(() => seenByEither() === 40, () => `the first 40 jobs consumed (by either: ${seenByEither()}, a: ${received.a.size}, b: ${received.b.size}, ` +
      `a owns [${partitionsOf(a).join(', ')}], b owns [${partitionsOf(b).join(', ')}]; stream errors: ${streamErrors.join('; ') || 'none'})`, 40_000);
    expect(received.a.size).toBeGreaterThan(0);
    expect(received.b.size).toBeGreaterThan(0);
    await new Promise((resolve) => a.close(true, resolve));
    await waitFor(() => partitionsOf(b).length === 4, 'the survivor owns all four partitions');
    await producer.send({ messages: Array.from({ length: 20 }, (_, i) => ({ topic: 'jobs', key: `k${i}`, value: `second-${i}` })) });
    await waitFor(() => [...received.b].filter((v) => v.startsWith('second-')).length === 20, 'the survivor consumed the new jobs');
  }, 90_000);
});

async function waitFor(check: () => boolean, what: string | (() => string), timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
