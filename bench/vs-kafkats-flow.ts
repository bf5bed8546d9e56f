/**
 * kstreams next to @kafkats/flow, the other Kafka Streams-style DSL for TypeScript on npm, in their
 * test drivers, on the workloads of bench/support/vs-kafka-streams-workloads.ts that @kafkats/flow can
 * express with the same operators: stateless (filter + mapValues), word count (flatMapValues →
 * groupBy → count) and the tumbling windowed count. Same input records; each side measures each
 * workload in a process of its own that holds only that workload's records; median of three runs
 * after a warm-up; @kafkats/flow is the baseline of every ratio.
 *
 * The two drivers do not do the same work per record, which the figures include: kstreams'
 * TopologyTestDriver runs the task as the runtime does (caching off, a commit after every record,
 * word count through its repartition topic), @kafkats/flow's TestDriver hands each record to the
 * app through an in-memory consumer. Output counts are printed, not required to agree.
 *
 * Then both run as applications against one real Apache Kafka broker (started by the reference kit
 * in test/reference; skipped with one line without Java 17+ and Maven): the same inputs produced
 * once, each library timed from running until its group has committed every input record, with a
 * 100 ms commit interval, three runs each under a fresh application id.
 *
 * Usage: `npx tsx --conditions=kstreams-source bench/vs-kafkats-flow.ts [--scale F] [--drivers-only]`
 * (scale 1: the record counts of bench/vs-kafka-streams.ts). The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TimeWindows as FlowTimeWindows, codec, flow } from '@kafkats/flow';
import type { Codec, KStream as FlowStream } from '@kafkats/flow';
import { TestDriver } from '@kafkats/flow/testing';
import { Serdes, setLogLevel } from 'kstreams';
import type { Serde } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';
import { OUTPUT, workloads } from './support/vs-kafka-streams-workloads.ts';
import type { BenchRecord, Workload } from './support/vs-kafka-streams-workloads.ts';
import { KafkaCluster } from '../src/client/index.ts';
import { buildReference, missingReferenceTools, startKafka } from '../test/reference/kit.ts';
import { cpuSeconds, kstreamsOnKafka, produceInputs, waitUntilCommitted } from './support/kafka-runs.ts';
import type { Measurement } from './support/kafka-runs.ts';
import { runsInOwnProcess } from './support/own-process.ts';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string' }, 'drivers-only': { type: 'boolean' }, help: { type: 'boolean' },
    // Internal: one side's driver runs of one workload, in the process the bench spawned for it.
    side: { type: 'string' }, workload: { type: 'string' },
  },
  strict: true,
});
if (args.help === true) {
  console.log('usage: npx tsx --conditions=kstreams-source bench/vs-kafkats-flow.ts [--scale F] [--drivers-only]\n' +
    'kstreams against @kafkats/flow in their test drivers, then as applications on a real Apache Kafka broker (needs Java 17+ and Maven); last line is JSON.');
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/vs-kafkats-flow: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}
setLogLevel('warn');

const RUNS = 3;
const strings = Serdes.String();
/** Kafka's 8-byte big-endian long, as Serdes.Long() writes it (@kafkats/flow has no such codec). */
const longCodec: Codec<number> = {
  encode: (value) => {
    const buffer = Buffer.allocUnsafe(8);
    buffer.writeBigInt64BE(BigInt(value));
    return buffer;
  },
  decode: (buffer) => Number(buffer.readBigInt64BE(0)),
};


type Driven = (records: readonly BenchRecord[]) => Promise<number>;

function kstreams(workload: Workload): Driven {
  return async (records) => {
    const driver = new TopologyTestDriver(workload.topology(), { 'application.id': 'bench', 'statestore.cache.max.bytes': 0 });
    const input = driver.createInputTopic(records[0]!.topic, strings, strings);
    for (const record of records) await input.pipeInput(record.key, record.value, record.timestamp);
    const outputs = driver.createOutputTopic(OUTPUT, strings, workload.outputSerde as Serde<unknown>).readKeyValuesToList().length;
    await driver.close();
    return outputs;
  };
}

/** The workload's topology in @kafkats/flow's DSL, from its input stream. */
function defineFlow(workload: Workload, input: FlowStream<string, string>): void {
  if (workload.name === 'stateless') {
    input.filter((_key, value) => value!.charCodeAt(value!.length - 1) % 2 === 0).mapValues((value) => value!.toUpperCase())
      .to(OUTPUT, { key: codec.string(), value: codec.string() });
  } else if (workload.name === 'wordcount') {
    input.flatMapValues((line) => line!.split(' ')).groupBy((_key, word) => word!, { key: codec.string(), value: codec.string() })
      .count({ key: codec.string(), value: longCodec }).toStream().to(OUTPUT, { key: codec.string(), value: longCodec });
  } else {
    input.groupByKey().windowedBy(FlowTimeWindows.of(60_000)).count().toStream()
      .map((windowed, count) => [`${windowed!.key}@${windowed!.window.start}` as string, count] as const)
      .to(OUTPUT, { key: codec.string(), value: longCodec });
  }
}

/** The same topology in @kafkats/flow's test driver. */
function kafkatsFlow(workload: Workload): Driven {
  return async (records) => {
    const driver = new TestDriver();
    defineFlow(workload, driver.input(records[0]!.topic, { key: codec.string(), value: codec.string() }));
    const context = await driver.start();
    for (const record of records) {
      await context.send(record.topic, record.value, { keyValue: record.key, keyCodec: codec.string() as Codec<unknown>, codec: codec.string(), timestamp: BigInt(record.timestamp) });
    }
    const outputs = context.output(OUTPUT).length;
    await driver.stop();
    return outputs;
  };
}

async function measure(drive: Driven, records: readonly BenchRecord[]): Promise<Measurement[]> {
  await drive(records.slice(0, 5_000));
  const runs: Measurement[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const cpu = cpuSeconds();
    const outputs = await drive(records);
    runs.push({ seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpu, outputs });
  }
  return runs;
}

if (args.side !== undefined) {
  const workload = workloads(scale, [args.workload ?? ''])[0];
  if (workload === undefined || (args.side !== 'kstreams' && args.side !== 'flow')) {
    console.error('bench/vs-kafkats-flow: --side must be kstreams or flow, with --workload stateless|wordcount|tumbling');
    process.exit(2);
  }
  const runs = await measure((args.side === 'kstreams' ? kstreams : kafkatsFlow)(workload), workload.records);
  console.log(JSON.stringify({ runs, records: workload.records.length }));
  process.exit(0);
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US');
const figures: Record<string, number> = {};
console.log(`In the test drivers (each side in a process of its own per workload; median of ${RUNS} runs after a warm-up [slowest–fastest]); baseline @kafkats/flow:`);
/** Prints one workload's line and keeps its figures (`<phase>_<workload>_…`); @kafkats/flow is the baseline. */
function report(phase: string, name: string, n: number, oursRuns: readonly Measurement[], theirsRuns: readonly Measurement[]): void {
  const ours = [...oursRuns].sort((x, y) => x.seconds - y.seconds);
  const theirs = [...theirsRuns].sort((x, y) => x.seconds - y.seconds);
  const [a, b] = [ours[Math.floor(ours.length / 2)]!, theirs[Math.floor(theirs.length / 2)]!];
  const ratio = b.seconds / a.seconds;
  const perCore = b.cpuSeconds / a.cpuSeconds;
  const outputs = (run: Measurement) => (run.outputs === undefined ? '' : `, ${run.outputs} outputs`);
  console.log(
    `  ${name} (${format(n)} records): kstreams ${format(n / a.seconds)} records/s [${format(n / ours.at(-1)!.seconds)}–${format(n / ours[0]!.seconds)}] ` +
      `(${format(n / a.cpuSeconds)} per CPU-s${outputs(a)}), @kafkats/flow ${format(n / b.seconds)} records/s [${format(n / theirs.at(-1)!.seconds)}–${format(n / theirs[0]!.seconds)}] ` +
      `(${format(n / b.cpuSeconds)} per CPU-s${outputs(b)}); ratio ${ratio.toFixed(2)}, per core ${perCore.toFixed(2)}`,
  );
  const key = `${phase}_${name}`;
  figures[`${key}_records_s`] = Math.round(n / a.seconds);
  figures[`${key}_baseline_records_s`] = Math.round(n / b.seconds);
  figures[`${key}_ratio`] = Number(ratio.toFixed(3));
  figures[`${key}_per_core_ratio`] = Number(perCore.toFixed(3));
}

for (const name of ['stateless', 'wordcount', 'tumbling']) {
  // The records are made in each side's process only; the parent holds none of them.
  const side = (which: string) => runsInOwnProcess(new URL(import.meta.url), ['--side', which, '--workload', name, '--scale', String(scale)]);
  const ours = await side('kstreams');
  const theirs = await side('flow');
  report('driver', name, ours.records!, ours.runs, theirs.runs);
}

/** @kafkats/flow's run of `workload` on Kafka, timed from `start()` until its group has committed every input. */
async function flowOnKafka(workload: Workload, applicationId: string, bootstrap: string, cluster: KafkaCluster, ends: ReadonlyMap<string, number>, stateDir: string): Promise<Measurement> {
  const app = flow({ applicationId, client: { brokers: [bootstrap], clientId: applicationId }, commitIntervalMs: 100, stateDir });
  defineFlow(workload, app.stream(workload.records[0]!.topic, { key: codec.string(), value: codec.string(), offsetReset: 'earliest' }));
  await app.start();
  const started = performance.now();
  const cpu = cpuSeconds();
  await waitUntilCommitted(cluster, applicationId, ends);
  const measured = { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpu };
  await app.close();
  return measured;
}

/** Both libraries as applications on one Apache Kafka broker (the reference kit's), median of RUNS each. */
async function onKafka(): Promise<void> {
  const missing = missingReferenceTools();
  if (missing !== undefined) {
    console.log(`On Apache Kafka: skipped (${missing})`);
    return;
  }
  console.log(`\nOn Apache Kafka (one broker on loopback; median of ${RUNS} runs each [slowest–fastest]); baseline @kafkats/flow:`);
  const kafka = await startKafka(buildReference((line) => console.log(line)));
  const cluster = await KafkaCluster.connect({ bootstrapServers: [kafka.bootstrap], clientId: 'bench', groupId: 'bench' });
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-vs-kafkats-flow-'));
  try {
    for (const workload of workloads(scale, ['stateless', 'wordcount', 'tumbling'])) {
      const ends = await produceInputs(cluster, workload, OUTPUT, (line) => console.log(line));
      const ours: Measurement[] = [];
      const theirs: Measurement[] = [];
      for (let run = 0; run < RUNS; run++) {
        const flowId = `kafkats-flow-${workload.name}-${run}`;
        theirs.push(await flowOnKafka(workload, flowId, kafka.bootstrap, cluster, ends, join(dir, flowId)));
        const ourId = `kstreams-${workload.name}-${run}`;
        ours.push(await kstreamsOnKafka(workload, ourId, kafka.bootstrap, cluster, ends, join(dir, ourId)));
      }
      report('kafka', workload.name, workload.records.length, ours, theirs);
    }
  } finally {
    await cluster.close();
    await kafka.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args['drivers-only'] !== true) await onKafka();
console.log(JSON.stringify({ bench: 'vs-kafkats-flow', scale, ...figures }));
