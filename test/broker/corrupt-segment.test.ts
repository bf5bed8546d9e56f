import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBroker } from '../../src/broker/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { setLogSink, type LogLevel } from '../../src/common/index.ts';
import { commandExists } from '../support/global-setup.ts';
import { tempDir } from '../support/temp-dir.ts';
import { flipByteMidSegment, segmentFiles, valueOf, writePartition } from '../log/support/damage.ts';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

/** A broker over a partition whose closed segment has a damaged batch; resolves `reported` once the broker met it. */
async function brokerOverDamage() {
  const dir = tempDir();
  await writePartition(dir, 40);
  const damaged = flipByteMidSegment(segmentFiles(dir)[1]!);
  let reportDamage: () => void = () => undefined;
  const reported = new Promise<void>((resolve) => (reportDamage = resolve));
  const previous = setLogSink((level: LogLevel, _category, message) => {
    if (level === 'error' && message.includes(`offsets ${damaged.baseOffset}..${damaged.lastOffset}`)) reportDamage();
  });
  cleanup.push(async () => setLogSink(previous));
  const engine = await LogEngine.open({ dataDir: dir });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  return { damaged, reported, port };
}

describe.skipIf(!commandExists('kcat'))('kcat (librdkafka, default settings) reading a partition with a damaged batch', () => {
  it('prints every record before the damage, right, and never the damaged ones', async () => {
    const { damaged, reported, port } = await brokerOverDamage();
    const child = spawn('kcat', ['-C', '-b', `127.0.0.1:${port}`, '-t', 't', '-p', '0', '-o', 'beginning', '-f', '%o %s\\n', '-q', '-u'], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.push(async () => child.kill('SIGKILL'));
    let stdout = '';
    let printedAllBefore: () => void = () => undefined;
    const allBefore = new Promise<void>((resolve) => (printedAllBefore = resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').length - 1 >= damaged.baseOffset) printedAllBefore();
    });
    await allBefore;
    await reported;
    const lines = stdout.split('\n').filter((l) => l !== '').map((l) => [Number(l.slice(0, l.indexOf(' '))), l.slice(l.indexOf(' ') + 1)] as const);
    expect(lines.slice(0, damaged.baseOffset).map(([offset]) => offset)).toEqual(Array.from({ length: damaged.baseOffset }, (_, i) => i));
    for (const [offset, value] of lines) {
      expect(value).toBe(valueOf(offset).toString());
      expect(offset < damaged.baseOffset || offset > damaged.lastOffset).toBe(true);
    }
  }, 30_000);
});

describe('kafkajs reading a partition with a damaged batch in a closed segment', () => {
  it('gets every record before the damage, right, and never the damaged bytes', async () => {
    const { damaged, reported: damageReported, port } = await brokerOverDamage();
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
