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
    const consumer = kafka.consumer({ groupId: 'readers', sessionTimeout: 6_000, heartbeatInterval: 300 });
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
