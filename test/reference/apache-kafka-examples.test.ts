import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import type { ClusterRecord } from '../../src/client/index.ts';
import { partitionForKey, setLogLevel } from '../../src/index.ts';
import { EXAMPLE_WORKLOADS } from '../examples/workloads.ts';
import { tempDir } from '../support/temp-dir.ts';
import { BASE_TIME, externalTopics, prepareInput, runExample } from './example-runs.ts';
import type { ExampleRun } from './example-runs.ts';
import { startKafka } from './kit.ts';
import type { ReferenceKafka } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * The same application on Apache Kafka: every example in topology-examples/ runs through the
 * network runtime against a real Kafka broker and through the embedded engine, on the same input,
 * and must leave the same final results — the latest value of every key in every output topic and
 * every changelog. Internal topics must be created with Kafka Streams' settings, and an instance
 * killed mid-run must be replaced by another without losing anything.
 */
const build = referenceBuild();
const SEED = 20261124;
setLogLevel('warn');

/** Brokers started so far, with the topics the examples run on each already use (examples share topic names). */
const brokers: Array<{ kafka: ReferenceKafka; topics: Set<string> }> = [];
afterAll(async () => {
  for (const { kafka } of brokers) await kafka.stop();
});

async function brokerFor(topics: readonly string[]): Promise<string> {
  let broker = brokers.find((b) => topics.every((t) => !b.topics.has(t)));
  if (broker === undefined) {
    broker = { kafka: await startKafka(build!), topics: new Set() };
    brokers.push(broker);
  }
  for (const topic of topics) broker.topics.add(topic);
  return broker.kafka.bootstrap;
}

function decoded(run: ExampleRun): { [topic: string]: { [key: string]: string | null } } {
  const text = (hex: string | null) => (hex === null ? null : Buffer.from(hex, 'hex').toString('latin1'));
  return Object.fromEntries([...run.tables].map(([topic, table]) => [topic, Object.fromEntries([...table].map(([k, v]) => [text(k === 'null' ? null : k), text(v)]))]));
}

describe.skipIf(build === undefined)('the examples on Apache Kafka give the embedded engine\'s results', () => {
  it.each(Object.keys(EXAMPLE_WORKLOADS))('%s', async (example) => {
    const workload = EXAMPLE_WORKLOADS[example]!;
    const input = prepareInput(workload, SEED);
    const { sources, globalSources, sinks } = externalTopics(workload);
    const bootstrap = await brokerFor([...sources, ...globalSources, ...sinks, workload.app().applicationId]);
    const dir = tempDir();
    const embedded = await runExample(workload, input, { engineDir: join(dir, 'engine') }, join(dir, 'state-embedded'));
    const onKafka = await runExample(workload, input, { bootstrap }, join(dir, 'state-kafka'));
    expect(onKafka.internalTopics).toEqual(embedded.internalTopics);
    expect(decoded(onKafka)).toEqual(decoded(embedded));
    // Not vacuous: the input reached the outputs or the stores.
    expect([...embedded.tables.values()].some((table) => table.size > 0)).toBe(true);
    if (workload.model !== undefined) {
      const { topic, valueSerde, latest } = workload.model;
      const onKafkaOutput = new Map([...onKafka.tables.get(topic)!]
        .filter(([, value]) => value !== null)
        .map(([key, value]) => [Buffer.from(key, 'hex').toString('utf8'), valueSerde.deserialize(topic, Buffer.from(value!, 'hex'))]));
      expect(onKafkaOutput).toEqual(latest(input.sample));
    }
  }, 120_000);
});

describe.skipIf(build === undefined)('internal topics on Apache Kafka', () => {
  async function topicConfigs(bootstrap: string, topic: string): Promise<{ [name: string]: string | null }> {
    const admin = new Admin({ clientId: 'config-check', bootstrapBrokers: [bootstrap] });
    try {
      const [description] = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: topic }] });
      return Object.fromEntries(description!.configs.map((c) => [c.name, c.value ?? null]));
    } finally {
      await admin.close();
    }
  }

  it('are created with the settings Kafka Streams gives them', async () => {
    // word-count: a repartition topic and a key-value changelog; page views: a window store and a suppression buffer.
    const dir = tempDir();
    const created: string[] = [];
    let bootstrap = '';
    for (const example of ['word-count', 'page-views-per-window']) {
      const workload = EXAMPLE_WORKLOADS[example]!;
      const { sources, globalSources, sinks } = externalTopics(workload);
      bootstrap = await brokerFor([...sources, ...globalSources, ...sinks, `${workload.app().applicationId}-configs`]);
      const run = await runExample(workload, prepareInput(workload, SEED), { bootstrap }, join(dir, example));
      created.push(...run.internalTopics);
    }
    // Named as Kafka Streams names them: after the store when it is named, else by the node counter.
    expect(created.sort()).toEqual([
      'page-views-per-window-KTABLE-SUPPRESS-STATE-STORE-0000000003-changelog',
      'page-views-per-window-page-views-per-window-store-changelog',
      'streams-wordcount-counts-store-changelog',
      'streams-wordcount-counts-store-repartition',
    ]);
    const repartition = await topicConfigs(bootstrap, 'streams-wordcount-counts-store-repartition');
    expect({ policy: repartition['cleanup.policy'], retention: repartition['retention.ms'], segment: repartition['segment.bytes'], timestamps: repartition['message.timestamp.type'] })
      .toEqual({ policy: 'delete', retention: '-1', segment: '52428800', timestamps: 'CreateTime' });
    const changelog = await topicConfigs(bootstrap, 'streams-wordcount-counts-store-changelog');
    expect({ policy: changelog['cleanup.policy'], timestamps: changelog['message.timestamp.type'] }).toEqual({ policy: 'compact', timestamps: 'CreateTime' });
    const windowed = await topicConfigs(bootstrap, 'page-views-per-window-page-views-per-window-store-changelog');
    // Retention of the window store (size 5 min + grace 1 min) plus Kafka's one extra day.
    expect({ policy: windowed['cleanup.policy'], retention: windowed['retention.ms'] }).toEqual({ policy: 'compact,delete', retention: String(6 * 60_000 + 86_400_000) });
    expect((await topicConfigs(bootstrap, 'page-views-per-window-KTABLE-SUPPRESS-STATE-STORE-0000000003-changelog'))['cleanup.policy']).toBe('compact');
  }, 120_000);
});

describe.skipIf(build === undefined)('an instance killed mid-run on Apache Kafka', () => {
  function startInstance(bootstrap: string, stateDir: string): ChildProcess {
    const args = [
      join(import.meta.dirname, '..', '..', 'bin', 'kstreams.js'), 'run', join(import.meta.dirname, '..', '..', 'topology-examples', 'compacted-commit-log.ts'),
      '--bootstrap-server', bootstrap, '--state-dir', stateDir, '--config', 'commit.interval.ms=200', '--config', 'session.timeout.ms=6000',
    ];
    return spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }

  it('is replaced by another and nothing is lost', async () => {
    const workload = EXAMPLE_WORKLOADS['compacted-commit-log']!;
    const { sources, globalSources, sinks } = externalTopics(workload);
    // 600 updates of 25 entities, one in seven a deletion: enough that the kill lands mid-stream.
    const records: ClusterRecord[] = Array.from({ length: 600 }, (_, i) => {
      const key = Buffer.from(`entity-${(i * 7) % 25}`);
      return { key, value: i % 7 === 3 ? null : Buffer.from(`state-${i}`), timestamp: BASE_TIME + i, headers: [], partition: partitionForKey(key, 2) };
    });
    const topic = sources[0]!;
    const bootstrap = await brokerFor([...sources, ...globalSources, ...sinks, workload.app().applicationId]);
    const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'kill-test', groupId: 'kill-test' });
    const dir = tempDir();
    const children: ChildProcess[] = [];
    try {
      await cluster.ensureTopics([...sources, ...sinks].map((name) => ({ name, partitions: 2, config: {} })));
      const half = Math.floor(records.length / 2);
      await cluster.produce(topic, records.slice(0, half));
      const first = startInstance(bootstrap, join(dir, 'first'));
      children.push(first);
      await waitFor(async () => (await cluster.committedOffsets('compacted-commit-log')).some((c) => c.offset > 0), 'the first instance commits', 60_000);
      first.kill('SIGKILL');
      await cluster.produce(topic, records.slice(half));
      const second = startInstance(bootstrap, join(dir, 'second'));
      children.push(second);
      const end = new Map<number, number>();
      for (const p of [0, 1]) end.set(p, (await cluster.offsets(topic, p)).latest);
      await waitFor(async () => {
        const committed = await cluster.committedOffsets('compacted-commit-log');
        return [0, 1].every((p) => committed.find((c) => c.topic === topic && c.partition === p)?.offset === end.get(p));
      }, 'the replacement consumes everything', 60_000);
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));

      // The compacted log's last record per key is the last update of that key.
      const expected = new Map<string, string | null>();
      for (const record of records) expected.set(record.key!.toString(), record.value?.toString() ?? null);
      const actual = new Map<string, string | null>();
      for (const p of [0, 1]) {
        for (let offset = 0; ;) {
          const { records: page, nextOffset } = await cluster.fetch(sinks[0]!, p, offset, 1 << 20);
          if (nextOffset <= offset) break;
          for (const r of page) actual.set(r.key!.toString(), r.value?.toString() ?? null);
          offset = nextOffset;
        }
      }
      expect(actual).toEqual(expected);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await cluster.close();
    }
  }, 180_000);
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
