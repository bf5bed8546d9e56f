import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kstreams.js');
const APP = join(import.meta.dirname, 'fixtures', 'max-per-user-app.ts');
const USERS = 60;
const EVENTS = 3_000;

function start(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KSTREAMS_LOG_LEVEL: 'info', ...env } });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string | (() => string), timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('scale-out: three kstreams run processes against kstreams broker', () => {
  it('split a 6-partition input; one is killed with SIGKILL under load; the survivors finish and the results equal one process\'s', async () => {
    const dir = tempDir();
    const broker = start(['broker', '--port', '0', '--data-dir', join(dir, 'broker')]);
    const processes: ChildProcess[] = [broker.child];
    try {
      await waitFor(() => /on 127\.0\.0\.1:\d+/.test(broker.output()), 'the broker to listen', 20_000);
      const port = Number(/on 127\.0\.0\.1:(\d+)/.exec(broker.output())![1]);
      const kafka = new Kafka({ clientId: 'scale-out-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 6 }, { topic: 'maxima', numPartitions: 6 }] });
      const instances = [0, 1, 2].map((i) => start(['run', APP, '--bootstrap-server', `127.0.0.1:${port}`, '--state-dir', join(dir, `state-${i}`),
        '--config', 'commit.interval.ms=100', '--config', 'session.timeout.ms=3000', '--config', 'poll.ms=20']));
      processes.push(...instances.map((i) => i.child));
      await waitFor(() => instances.every((i) => /RUNNING/.test(i.output())),
        () => `three running instances; their output:\n${instances.map((i, n) => `--- instance ${n}\n${i.output()}`).join('\n')}`, 30_000);

      const producer = kafka.producer();
      await producer.connect();
      const expected = new Map<string, number>();
      const long = (n: number) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; };
      for (let sent = 0; sent < EVENTS; sent += 100) {
        const messages = Array.from({ length: 100 }, (_, j) => {
          const seq = sent + j;
          const user = `user-${(seq * 7) % USERS}`;
          expected.set(user, Math.max(expected.get(user) ?? -1, seq));
          return { key: user, value: long(seq) };
        });
        await producer.send({ topic: 'events', messages });
        if (sent === 1_000) instances[0]!.child.kill('SIGKILL'); // under load
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await producer.disconnect();

      const latest = new Map<string, number>();
      const consumer = kafka.consumer({ groupId: 'scale-out-reader', maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'maxima', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void latest.set(message.key!.toString(), Number(message.value!.readBigInt64BE(0))) });
      await waitFor(() => latest.size === USERS && [...expected].every(([user, max]) => latest.get(user) === max), 'every user\'s maximum in the output', 60_000);
      await consumer.disconnect();
      await admin.disconnect();
      expect(latest).toEqual(expected);
      expect(instances[1]!.output() + instances[2]!.output()).toMatch(/tasks of this instance: .*(0_\d, ){2,}/);
    } finally {
      for (const child of processes.reverse()) {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        }
      }
    }
  }, 120_000);
});
