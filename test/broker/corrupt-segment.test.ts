import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBroker } from '../../src/broker/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { setLogSink, type LogLevel } from '../../src/common/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { flipByteMidSegment, segmentFiles, valueOf, writePartition } from '../log/support/damage.ts';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

describe('kafkajs reading a partition with a damaged batch in a closed segment', () => {
  it('gets every record before the damage, right, and never the damaged bytes', async () => {
    const dir = tempDir();
    await writePartition(dir, 40);
    const damaged = flipByteMidSegment(segmentFiles(dir)[1]!);
    let reportDamage: () => void = () => undefined;
    const damageReported = new Promise<void>((resolve) => (reportDamage = resolve));
    const previous = setLogSink((level: LogLevel, _category, message) => {
      if (level === 'error' && message.includes(`offsets ${damaged.baseOffset}..${damaged.lastOffset}`)) reportDamage();
    });
    cleanup.push(async () => setLogSink(previous));
    const engine = await LogEngine.open({ dataDir: dir });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => engine.close(), () => broker.close());
    const kafka = new Kafka({ clientId: 'corrupt-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
    const consumer = kafka.consumer({ groupId: 'readers', sessionTimeout: 6_000, heartbeatInterval: 300, maxWaitTimeInMs: 50 });
    await consumer.connect();
    cleanup.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: 't', fromBeginning: true });
    const seen: Array<{ offset: number; value: string }> = [];
    let reachedDamage: () => void = () => undefined;
    const allBeforeDamage = new Promise<void>((resolve) => (reachedDamage = resolve));
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ offset: Number(message.offset), value: message.value!.toString() });
        if (seen.length === damaged.baseOffset) reachedDamage();
      },
    });
    await allBeforeDamage;
    await damageReported;
    // Whatever kafkajs does after the broker's CORRUPT_MESSAGE, nothing it delivered was wrong.
    const delivered = [...seen];
    expect(delivered.slice(0, damaged.baseOffset).map((r) => r.offset)).toEqual(Array.from({ length: damaged.baseOffset }, (_, i) => i));
    for (const r of delivered) {
      expect(r.value).toBe(valueOf(r.offset).toString());
      expect(r.offset < damaged.baseOffset || r.offset > damaged.lastOffset).toBe(true);
    }
  }, 30_000);
});
