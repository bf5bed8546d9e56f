/**
 * kstreams side by side with Apache Kafka Streams (Java) on this machine, in one run: the same
 * four workloads — stateless (filter + mapValues), word count (flatMapValues → groupBy → count),
 * a windowed count (1-minute tumbling windows, 10 s grace) and a stream-table join — on the same
 * inputs, first in both test drivers, then both as applications against one real Apache Kafka
 * broker (single node, loopback). Kafka Streams is the baseline: every ratio is kstreams' figure
 * divided by Kafka Streams'.
 *
 * Figures per workload: records/s (wall clock) and records per CPU-second (the process's CPU time:
 * JIT, GC and client threads included), which is throughput per core. In the drivers both sides
 * run with caching off and must emit the same number of records; each figure is the best of three
 * runs after a warm-up. On Kafka both applications are timed from RUNNING until their group has
 * committed every input record, with `commit.interval.ms` 100 and default caching.
 *
 * Goal: kstreams at or above Kafka Streams' throughput per core. Needs Java 17+ and Maven (the
 * reference kit in test/reference builds the Java side); without them it prints one line saying
 * what to install. Usage: `npx tsx bench/vs-kafka-streams.ts [--scale F] [--drivers-only]`.
 * The last line is one JSON object with the figures.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Consumed, Grouped, KafkaStreams, Materialized, Produced, Serdes, StreamsBuilder, TimeWindows, partitionForKey, setLogLevel } from 'kstreams';
import type { Serde, Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';
import { KafkaCluster } from '../src/client/index.ts';
import { BENCH_JVM_FLAGS, buildReference, missingReferenceTools, runJava, startKafka } from '../test/reference/kit.ts';
import type { ReferenceBuild } from '../test/reference/kit.ts';

const { values: args } = parseArgs({
  options: { scale: { type: 'string' }, 'drivers-only': { type: 'boolean' }, workload: { type: 'string', multiple: true }, help: { type: 'boolean' } },
  strict: true,
});
if (args.help === true) {
  console.log('usage: npx tsx bench/vs-kafka-streams.ts [--scale F] [--drivers-only] [--workload stateless|wordcount|windowed|join ...]\n' +
    'Runs four workloads in kstreams and in Kafka Streams (Java), in both test drivers and on a real Kafka broker; last line is JSON.');
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/vs-kafka-streams: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}
setLogLevel('warn');

const strings = Serdes.String();
const longs = Serdes.Long();
const TABLE = 'bench-table';
const OUTPUT = 'bench-out';
const PARTITIONS = 2;
const WORDS = 'all streams lead to kafka hello join summit table window state store topic partition offset record'.split(' ');

interface BenchRecord {
  readonly topic: string;
  readonly key: string;
  readonly timestamp: number;
  readonly value: string;
}

interface Workload {
  readonly name: string;
  readonly records: readonly BenchRecord[];
  readonly outputSerde: Serde<string> | Serde<number>;
  topology(): Topology;
}

const inputTopic = (workload: string): string => `bench-${workload}-in`;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Event times start two hours ago, 10 ms apart: recent enough for a real broker's retention. */
const START = Math.floor(Date.now() / 60_000) * 60_000 - 7_200_000;

function stateless(count: number): Workload {
  const random = seeded(1);
  const records = Array.from({ length: count }, (_, i) => ({ topic: inputTopic('stateless'), key: `k${i % 1000}`, timestamp: START + i * 10, value: `event-${Math.floor(random() * 1e6)}` }));
  return {
    name: 'stateless', records, outputSerde: strings,
    topology() {
      const builder = new StreamsBuilder();
      builder.stream(inputTopic('stateless'), Consumed.with(strings, strings))
        .filter((_key, value) => value.charCodeAt(value.length - 1) % 2 === 0)
        .mapValues((value) => value.toUpperCase())
        .to(OUTPUT, Produced.with(strings, strings));
      return builder.build();
    },
  };
}

function wordCount(lines: number): Workload {
  const random = seeded(2);
  const records = Array.from({ length: lines }, (_, i) => ({
    topic: inputTopic('wordcount'), key: `line-${i}`, timestamp: START + i * 10,
    value: Array.from({ length: 6 }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' '),
  }));
  return {
    name: 'wordcount', records, outputSerde: longs,
    topology() {
      const builder = new StreamsBuilder();
      builder.stream(inputTopic('wordcount'), Consumed.with(strings, strings))
        .flatMapValues((line) => line.split(' '))
        .groupBy((_key, word) => word, Grouped.with(strings, strings))
        .count(Materialized.as('counts'))
        .toStream()
        .to(OUTPUT, Produced.with(strings, longs));
      return builder.build();
    },
  };
}

function windowedCount(count: number): Workload {
  const random = seeded(3);
  const records = Array.from({ length: count }, (_, i) => ({ topic: inputTopic('windowed'), key: `user-${Math.floor(random() * 1000)}`, timestamp: START + i * 10, value: 'view' }));
  return {
    name: 'windowed', records, outputSerde: longs,
    topology() {
      const builder = new StreamsBuilder();
      builder.stream(inputTopic('windowed'), Consumed.with(strings, strings))
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 10_000))
        .count(Materialized.as('windowed-counts'))
        .toStream()
        .selectKey((windowed) => `${windowed.key}@${windowed.window.start}`)
        .to(OUTPUT, Produced.with(strings, longs));
      return builder.build();
    },
  };
}

function streamTableJoin(count: number): Workload {
  const random = seeded(4);
  const profiles = Array.from({ length: 1000 }, (_, i) => ({ topic: TABLE, key: `user-${i}`, timestamp: START, value: `profile-${i}` }));
  const clicks = Array.from({ length: count }, (_, i) => ({ topic: inputTopic('join'), key: `user-${Math.floor(random() * 1100)}`, timestamp: START + 1 + i * 10, value: `click-${i}` }));
  return {
    name: 'join', records: [...profiles, ...clicks], outputSerde: strings,
    topology() {
      const builder = new StreamsBuilder();
      const table = builder.table(TABLE, Consumed.with(strings, strings), Materialized.as('profiles'));
      builder.stream(inputTopic('join'), Consumed.with(strings, strings))
        .join(table, (click, profile) => `${click}|${profile}`)
        .to(OUTPUT, Produced.with(strings, strings));
      return builder.build();
    },
  };
}

interface Measurement {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly outputs?: number;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

async function runDriver(workload: Workload, records: readonly BenchRecord[]): Promise<number> {
  const driver = new TopologyTestDriver(workload.topology(), { 'application.id': 'bench', 'statestore.cache.max.bytes': 0 });
  const inputs = new Map<string, ReturnType<typeof driver.createInputTopic<string, string>>>();
  for (const record of records) {
    let input = inputs.get(record.topic);
    if (input === undefined) inputs.set(record.topic, (input = driver.createInputTopic(record.topic, strings, strings)));
    await input.pipeInput(record.key, record.value, record.timestamp);
  }
  const outputs = driver.createOutputTopic(OUTPUT, strings, workload.outputSerde as Serde<unknown>).readKeyValuesToList().length;
  await driver.close();
  return outputs;
}

async function kstreamsDriver(workload: Workload): Promise<Measurement> {
  await runDriver(workload, workload.records.slice(0, 5_000));
  let best: Measurement | undefined;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const cpu = cpuSeconds();
    const outputs = await runDriver(workload, workload.records);
    const measured = { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpu, outputs };
    if (best === undefined || measured.seconds < best.seconds) best = measured;
  }
  return best!;
}

async function kafkaStreamsDriver(build: ReferenceBuild, workload: Workload, dir: string): Promise<Measurement> {
  const file = join(dir, `${workload.name}.tsv`);
  writeFileSync(file, workload.records.map((r) => `${r.topic}\t${r.key}\t${r.timestamp}\t${r.value}`).join('\n'));
  const output = await runJava(build, 'dev.kstreams.reference.BenchStreams', ['driver', workload.name, file, '3'], { timeoutMs: 900_000, jvmFlags: BENCH_JVM_FLAGS });
  return JSON.parse(output.trim().split('\n').pop()!) as Measurement;
}

function rate(records: number, m: Measurement): { perSecond: number; perCpuSecond: number } {
  return { perSecond: records / m.seconds, perCpuSecond: records / m.cpuSeconds };
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US');
const figures: Record<string, number> = {};

function report(phase: string, workload: Workload, records: number, ours: Measurement, theirs: Measurement): void {
  const a = rate(records, ours);
  const b = rate(records, theirs);
  const ratio = a.perSecond / b.perSecond;
  const perCore = a.perCpuSecond / b.perCpuSecond;
  console.log(
    `  ${workload.name}: kstreams ${format(a.perSecond)} records/s (${format(a.perCpuSecond)} per CPU-s), ` +
      `Kafka Streams ${format(b.perSecond)} records/s (${format(b.perCpuSecond)} per CPU-s); ratio ${ratio.toFixed(2)}, per core ${perCore.toFixed(2)}`,
  );
  const key = `${phase}_${workload.name}`;
  figures[`${key}_records_s`] = Math.round(a.perSecond);
  figures[`${key}_baseline_records_s`] = Math.round(b.perSecond);
  figures[`${key}_ratio`] = Number(ratio.toFixed(3));
  figures[`${key}_per_core_ratio`] = Number(perCore.toFixed(3));
}

/** Waits until `group` has committed the end of every partition of `topics`. */
async function waitUntilCommitted(cluster: KafkaCluster, group: string, ends: ReadonlyMap<string, number>): Promise<void> {
  for (;;) {
    const committed = new Map((await cluster.committedOffsets(group)).map((c) => [`${c.topic}-${c.partition}`, c.offset]));
    if ([...ends].every(([tp, end]) => end === 0 || (committed.get(tp) ?? 0) >= end)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function kstreamsOnKafka(workload: Workload, bootstrap: string, cluster: KafkaCluster, ends: ReadonlyMap<string, number>, stateDir: string): Promise<Measurement> {
  const applicationId = `kstreams-${workload.name}`;
  const streams = new KafkaStreams(workload.topology(), { 'application.id': applicationId, 'bootstrap.servers': bootstrap, 'state.dir': stateDir, 'commit.interval.ms': 100 });
  let started = 0;
  let cpu = 0;
  streams.onStateChange((state) => {
    if (state === 'RUNNING' && started === 0) {
      started = performance.now();
      cpu = cpuSeconds();
    }
  });
  await streams.start();
  await waitUntilCommitted(cluster, applicationId, ends);
  const measured = { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpu };
  await streams.close();
  return measured;
}

async function onKafka(build: ReferenceBuild, workloads: readonly Workload[], dir: string): Promise<void> {
  console.log('\nOn Apache Kafka (one broker on loopback; both applications single-threaded):');
  const kafka = await startKafka(build);
  const cluster = await KafkaCluster.connect({ bootstrapServers: [kafka.bootstrap], clientId: 'bench', groupId: 'bench' });
  try {
    const topics = [...new Set(workloads.flatMap((w) => w.records.map((r) => r.topic))), OUTPUT];
    await cluster.ensureTopics(topics.map((name) => ({ name, partitions: PARTITIONS, config: {} })));
    for (const workload of workloads) {
      console.log(`  producing ${format(workload.records.length)} input records of ${workload.name}`);
      for (let i = 0; i < workload.records.length; i += 5_000) {
        const byTopic = new Map<string, BenchRecord[]>();
        for (const r of workload.records.slice(i, i + 5_000)) {
          const list = byTopic.get(r.topic);
          if (list === undefined) byTopic.set(r.topic, [r]);
          else list.push(r);
        }
        for (const [topic, records] of byTopic) {
          await cluster.produce(topic, records.map((r) => {
            const key = Buffer.from(r.key);
            return { key, value: Buffer.from(r.value), timestamp: r.timestamp, headers: [], partition: partitionForKey(key, PARTITIONS) };
          }));
        }
      }
    }
    for (const workload of workloads) {
      const inputs = [...new Set(workload.records.map((r) => r.topic))];
      const ends = new Map<string, number>();
      for (const topic of inputs) for (let p = 0; p < PARTITIONS; p++) ends.set(`${topic}-${p}`, (await cluster.offsets(topic, p)).latest);
      const java = JSON.parse((await runJava(build, 'dev.kstreams.reference.BenchStreams',
        ['kafka', workload.name, kafka.bootstrap, `kafka-streams-${workload.name}`, join(dir, `java-${workload.name}`), inputs.join(',')],
        { timeoutMs: 900_000, jvmFlags: BENCH_JVM_FLAGS })).trim().split('\n').pop()!) as Measurement;
      const ours = await kstreamsOnKafka(workload, kafka.bootstrap, cluster, ends, join(dir, `kstreams-${workload.name}`));
      report('kafka', workload, workload.records.length, ours, java);
    }
  } finally {
    await cluster.close();
    await kafka.stop();
  }
}

const missing = missingReferenceTools();
if (missing !== undefined) {
  console.log(`bench/vs-kafka-streams skipped: ${missing}`);
  console.log(JSON.stringify({ bench: 'vs-kafka-streams', skipped: missing }));
  process.exit(0);
}
const build = buildReference((line) => console.log(line));
const workloads = [stateless(Math.round(200_000 * scale)), wordCount(Math.round(40_000 * scale)), windowedCount(Math.round(200_000 * scale)), streamTableJoin(Math.round(200_000 * scale))]
  .filter((w) => args.workload === undefined || args.workload.includes(w.name));
if (workloads.length === 0) {
  console.error(`bench/vs-kafka-streams: no workload named ${args.workload!.join(', ')}; choose from stateless, wordcount, windowed, join`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'kstreams-vs-kafka-streams-'));
try {
  console.log('In the test drivers (caching off; best of three runs after a warm-up):');
  for (const workload of workloads) {
    const ours = await kstreamsDriver(workload);
    const theirs = await kafkaStreamsDriver(build, workload, dir);
    if (ours.outputs !== theirs.outputs) throw new Error(`${workload.name}: kstreams emitted ${ours.outputs} records, Kafka Streams ${theirs.outputs}`);
    report('driver', workload, workload.records.length, ours, theirs);
  }
  if (args['drivers-only'] !== true) await onKafka(build, workloads, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const ratios = Object.entries(figures).filter(([k]) => k.endsWith('_per_core_ratio')).map(([, v]) => v);
console.log(JSON.stringify({ bench: 'vs-kafka-streams', ...figures, min_per_core_ratio: Math.min(...ratios) }));
