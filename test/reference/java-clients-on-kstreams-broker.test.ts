import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { startBrokerProcess } from '../support/broker-process.ts';
import type { BrokerProcess } from '../support/broker-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { wordCountInput, waitForLine } from './java-word-count-fixture.ts';
import { runJava, spawnJava } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * Our broker under Kafka's own Java clients: the admin, producer and consumer of Apache Kafka,
 * and a Kafka Streams (Java) application, against `kstreams broker` run as a process. What works
 * and what does not is the compatibility table of docs/deploy.md; this suite keeps it honest.
 */
const build = referenceBuild();

/** Steps of JavaClients that must fail, each with the reason docs/deploy.md gives. */
const UNSUPPORTED: { [step: string]: RegExp } = {
  'admin.deleteConsumerGroupOffsets': /does not support OFFSET_DELETE/,
};

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

describe.skipIf(build === undefined)('Kafka\'s Java clients against kstreams broker', () => {
  it('admin, idempotent and transactional producers and a consumer group work', async () => {
    const broker = await startBroker(join(tempDir(), 'data'));
    const { bootstrap } = broker;
    const report = JSON.parse(await runJava(build!, 'dev.kstreams.reference.JavaClients', [bootstrap, 'java-clients'], { timeoutMs: 120_000 })) as { steps: { [step: string]: string } };
    for (const [step, outcome] of Object.entries(report.steps)) {
      const reason = UNSUPPORTED[step];
      if (reason === undefined) expect({ step, outcome }).toEqual({ step, outcome: 'ok' });
      else expect(outcome).toMatch(reason);
    }
    expect(Object.keys(report.steps).length).toBeGreaterThan(10);
  }, 150_000);
});

describe.skipIf(build === undefined)('a Kafka Streams (Java) application on kstreams broker', () => {
  it('runs word count to the right counts, creating its internal topics with Kafka Streams\' settings', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const broker = await startBroker(dataDir);
    const { lines, expected } = wordCountInput(200);

    const cluster = await KafkaCluster.connect({ bootstrapServers: [broker.bootstrap], clientId: 'java-streams-test', groupId: 'java-streams-test' });
    cleanup.push(() => cluster.close());
    await cluster.ensureTopics([{ name: 'text-lines', partitions: 2, config: {} }, { name: 'word-counts', partitions: 2, config: {} }]);
    await cluster.produce('text-lines', lines.map((line, i) => ({ key: null, value: Buffer.from(line), timestamp: Date.now(), headers: [], partition: i % 2 })));

    const app = spawnJava(build!, 'dev.kstreams.reference.JavaWordCount', [broker.bootstrap, 'java-wordcount', 'text-lines', 'word-counts', join(dir, 'java-state')]);
    cleanup.push(() => app.exitCode === null && app.kill('SIGKILL'));
    await waitForLine(app, /^state RUNNING$/m, 90_000);

    const latest = new Map<string, number>();
    const deadline = Date.now() + 60_000;
    const offsets = [0, 0];
    while ([...expected].some(([word, count]) => latest.get(word) !== count) && Date.now() < deadline) {
      for (const partition of [0, 1]) {
        const { records, nextOffset } = await cluster.fetch('word-counts', partition, offsets[partition]!, 1 << 20);
        for (const record of records) latest.set(record.key!.toString(), Number(record.value!.readBigInt64BE()));
        offsets[partition] = nextOffset;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(latest).toEqual(expected);

    const exited = new Promise((resolve) => app.once('exit', resolve));
    app.kill('SIGTERM');
    await exited;
    expect(await broker.stop()).toBe(0);
    const engine = await LogEngine.open({ dataDir });
    try {
      const repartition = await engine.describeTopic('java-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000004-repartition');
      expect(repartition.config['cleanup.policy']).toEqual({ delete: true, compact: false });
      expect(repartition.config['retention.ms']).toBe(-1);
      expect(repartition.config['message.timestamp.type']).toBe('CreateTime');
      const changelog = await engine.describeTopic('java-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000004-changelog');
      expect(changelog.config['cleanup.policy']).toEqual({ delete: false, compact: true });
      // The group's committed offsets cover every input line.
      const committed = (await engine.fetchOffsets('java-wordcount')).filter((c) => c.topic === 'text-lines');
      expect(committed.reduce((sum, c) => sum + c.offset, 0)).toBe(lines.length);
    } finally {
      await engine.close();
    }
  }, 240_000);
});
