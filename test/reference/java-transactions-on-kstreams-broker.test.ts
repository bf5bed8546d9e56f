import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { startBrokerProcess } from '../support/broker-process.ts';
import type { BrokerProcess } from '../support/broker-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { wordCountInput, waitForLine } from './java-word-count-fixture.ts';
import { runJava, spawnJava, startKafka } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * Exactly-once on `kstreams broker` as Kafka's own Java clients use it: the transactional producer
 * (commit, abort, an open transaction, offsets sent with the output, fencing) and read_committed
 * consumers, then a Kafka Streams (Java) application with processing.guarantee=exactly_once_v2
 * that is killed mid-run and restarted: its committed output must hold every count once. The Java
 * steps also run against Apache Kafka 4.4 itself, so what they expect is Kafka's behaviour.
 */
const build = referenceBuild();
if (build === undefined) console.log('Java transaction tests skipped: the reference kit needs Java and Maven');

let cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function startBroker(dataDir: string): Promise<BrokerProcess> {
  const broker = await startBrokerProcess(dataDir);
  cleanup.push(() => broker.stop());
  return broker;
}

/** Resolves once the output topic has a committed record (the first instance has made progress). */
async function waitForOutput(cluster: KafkaCluster): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const partition of [0, 1]) if ((await cluster.fetch('eos-counts', partition, 0, 1 << 16)).records.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the first instance committed no output within 60 s');
}

describe.skipIf(build === undefined)('Kafka\'s Java transactional producer and read_committed consumer against kstreams broker', () => {
  it('commit, abort, an open transaction, offsets committed with the output, and fencing behave as on Kafka', async () => {
    const broker = await startBroker(join(tempDir(), 'data'));
    const report = JSON.parse(await runJava(build!, 'dev.kstreams.reference.JavaTransactions', [broker.bootstrap, 'java-txn'], { timeoutMs: 120_000 })) as { steps: { [step: string]: string } };
    for (const [step, outcome] of Object.entries(report.steps)) expect({ step, outcome }).toEqual({ step, outcome: 'ok' });
    expect(Object.keys(report.steps).length).toBe(12);
  }, 150_000);
});

describe.skipIf(build === undefined)('the same Java transaction steps on Apache Kafka 4.4 (the harness asks for Kafka\'s behaviour)', () => {
  it('pass against a real Apache Kafka broker', async () => {
    const kafka = await startKafka(build!);
    cleanup.push(() => kafka.stop());
    const report = JSON.parse(await runJava(build!, 'dev.kstreams.reference.JavaTransactions', [kafka.bootstrap, 'java-txn'], { timeoutMs: 120_000 })) as { steps: { [step: string]: string } };
    for (const [step, outcome] of Object.entries(report.steps)) expect({ step, outcome }).toEqual({ step, outcome: 'ok' });
    expect(Object.keys(report.steps).length).toBe(12);
  }, 180_000);
});

describe.skipIf(build === undefined)('a Kafka Streams (Java) application with exactly_once_v2 on kstreams broker', () => {
  it('killed mid-run and restarted, its committed output holds each word\'s counts 1..n once, in order', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const broker = await startBroker(dataDir);
    const { lines, expected } = wordCountInput(400);

    const cluster = await KafkaCluster.connect({ bootstrapServers: [broker.bootstrap], clientId: 'java-eos-test', groupId: 'java-eos-test' });
    cleanup.push(() => cluster.close());
    await cluster.ensureTopics([{ name: 'eos-lines', partitions: 2, config: {} }, { name: 'eos-counts', partitions: 2, config: {} }]);
    const half = lines.length / 2;
    const produce = (from: number, to: number) => cluster.produce('eos-lines', lines.slice(from, to).map((line, i) => ({ key: null, value: Buffer.from(line), timestamp: Date.now(), headers: [], partition: (from + i) % 2 })));
    await produce(0, half);

    const args = [broker.bootstrap, 'java-eos', 'eos-lines', 'eos-counts', join(dir, 'java-state'), 'exactly_once_v2'];
    const first = spawnJava(build!, 'dev.kstreams.reference.JavaWordCount', args);
    cleanup.push(() => first.exitCode === null && first.kill('SIGKILL'));
    await waitForLine(first, /^state RUNNING$/m, 90_000);
    await waitForOutput(cluster);
    // Killed without closing: its open transaction is left for the restarted instance to abort.
    const killed = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await killed;
    await produce(half, lines.length);

    const second = spawnJava(build!, 'dev.kstreams.reference.JavaWordCount', args);
    cleanup.push(() => second.exitCode === null && second.kill('SIGKILL'));
    await waitForLine(second, /^state RUNNING$/m, 90_000);
    const countsOf = async (engine: LogEngine): Promise<Map<string, number[]>> => {
      const counts = new Map<string, number[]>();
      for (const partition of [0, 1]) {
        for (const record of await engine.fetch('eos-counts', partition, 0, { isolationLevel: 'read_committed', maxBytes: 1 << 24 })) {
          const word = record.key!.toString();
          counts.set(word, [...(counts.get(word) ?? []), Number(record.value!.readBigInt64BE())]);
        }
      }
      return counts;
    };
    // Wait for the committed output over the wire (read_committed), then stop and read the engine's files.
    const latest = new Map<string, number>();
    const offsets = [0, 0];
    const deadline = Date.now() + 60_000;
    while ([...expected].some(([word, count]) => latest.get(word) !== count) && Date.now() < deadline) {
      for (const partition of [0, 1]) {
        const { records, nextOffset } = await cluster.fetch('eos-counts', partition, offsets[partition]!, 1 << 20);
        for (const record of records) latest.set(record.key!.toString(), Number(record.value!.readBigInt64BE()));
        offsets[partition] = nextOffset;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const exited = new Promise((resolve) => second.once('exit', resolve));
    second.kill('SIGTERM');
    await exited;
    expect(await broker.stop()).toBe(0);

    const engine = await LogEngine.open({ dataDir });
    try {
      const counts = await countsOf(engine);
      for (const [word, n] of expected) expect({ word, counts: counts.get(word) }).toEqual({ word, counts: Array.from({ length: n }, (_, i) => i + 1) });
      const transactions = await engine.listTransactions();
      expect(transactions.some((t) => t.transactionalId.startsWith('java-eos-'))).toBe(true);
      expect(engine.lastStableOffset('eos-counts', 0)).toBe((await engine.listOffsets('eos-counts', 0)).latest);
    } finally {
      await engine.close();
    }
  }, 240_000);
});
