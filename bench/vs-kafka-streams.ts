/**
 * kstreams side by side with Apache Kafka Streams (Java) on this machine, in one run: the same
 * workloads (bench/support/vs-kafka-streams-workloads.ts) — stateless, word count, tumbling, hopping,
 * sliding and session windowed counts, final results through suppress, stream-table,
 * stream-stream and foreign-key joins — on the same inputs, first in both test drivers, then both
 * as applications against one real Apache Kafka broker (single node, loopback). Kafka Streams is
 * the baseline: every ratio is kstreams' figure divided by Kafka Streams'.
 *
 * Figures per workload: records/s (wall clock) and records per CPU-second (the process's CPU time:
 * JIT, GC and client threads included), which is throughput per core. In the drivers both sides
 * run with caching off and must emit the same number of records; each figure is the median of
 * three runs after a warm-up, printed with the slowest and fastest run. On Kafka both applications
 * are timed from RUNNING until their group has committed every input record, with
 * `commit.interval.ms` 100 and default caching, three times each under a fresh application id.
 * Each side measures each workload in a process of its own (a JVM per workload for Kafka Streams,
 * bench/support/kstreams-side-process.ts for kstreams), holding only that workload's inputs.
 *
 * Goal: kstreams at or above Kafka Streams' throughput per core. Needs Java 17+ and Maven (the
 * reference kit in test/reference builds the Java side); without them it prints one line saying
 * what to install. Usage: `npx tsx --conditions=kstreams-source bench/vs-kafka-streams.ts [--scale F] [--drivers-only | --kafka-only]
 * [--workload NAME ...]` (or `npm run bench -- vs-kafka-streams`);
 * scale 1 is at least a million records per workload, `--scale 0.05` a quick run.
 * The last line is one JSON object with the figures.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setLogLevel } from 'kstreams';
import { KafkaCluster } from '../src/client/index.ts';
import { BENCH_JVM_FLAGS, buildReference, missingReferenceTools, runJava, startKafka } from '../test/reference/kit.ts';
import type { ReferenceBuild } from '../test/reference/kit.ts';
import { OUTPUT, WORKLOAD_NAMES, workloads as makeWorkloads } from './support/vs-kafka-streams-workloads.ts';
import type { Workload } from './support/vs-kafka-streams-workloads.ts';
import { produceInputs } from './support/kafka-runs.ts';
import type { Measurement } from './support/kafka-runs.ts';
import { measureInOwnProcess } from './support/kstreams-side-process.ts';

const { values: args } = parseArgs({
  options: { scale: { type: 'string' }, 'drivers-only': { type: 'boolean' }, 'kafka-only': { type: 'boolean' }, workload: { type: 'string', multiple: true }, help: { type: 'boolean' } },
  strict: true,
});
if (args.help === true) {
  console.log(`usage: npx tsx --conditions=kstreams-source bench/vs-kafka-streams.ts [--scale F] [--drivers-only | --kafka-only] [--workload ${WORKLOAD_NAMES.join('|')} ...]\n` +
    'Runs each workload in kstreams and in Kafka Streams (Java), in both test drivers and on a real Kafka broker; last line is JSON.');
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/vs-kafka-streams: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}
if (args['drivers-only'] === true && args['kafka-only'] === true) {
  console.error('bench/vs-kafka-streams: --drivers-only and --kafka-only exclude each other; give one, or neither for both phases');
  process.exit(2);
}
const unknown = (args.workload ?? []).filter((name) => !(WORKLOAD_NAMES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`bench/vs-kafka-streams: no workload named ${unknown.join(', ')}; choose from ${WORKLOAD_NAMES.join(', ')}`);
  process.exit(2);
}
setLogLevel('warn');

const RUNS = 3;

async function kafkaStreamsDriver(build: ReferenceBuild, workload: Workload, dir: string): Promise<Measurement[]> {
  const file = join(dir, `${workload.name}.tsv`);
  writeFileSync(file, workload.records.map((r) => `${r.topic}\t${r.key}\t${r.timestamp}\t${r.value}`).join('\n'));
  const output = await runJava(build, 'dev.kstreams.reference.BenchStreams', ['driver', workload.name, file, String(RUNS)], { timeoutMs: 1_800_000, jvmFlags: [...BENCH_JVM_FLAGS, `-Djava.io.tmpdir=${dir}`] });
  return (JSON.parse(output.trim().split('\n').pop()!) as { runs: Measurement[] }).runs;
}

/** The run of median duration, with the slowest and fastest rates of all runs. */
function summarize(records: number, runs: readonly Measurement[]): { perSecond: number; perCpuSecond: number; min: number; max: number } {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { perSecond: records / median.seconds, perCpuSecond: records / median.cpuSeconds, min: records / sorted.at(-1)!.seconds, max: records / sorted[0]!.seconds };
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US');
const figures: Record<string, number> = {};

function report(phase: string, workload: Workload, ours: readonly Measurement[], theirs: readonly Measurement[]): void {
  const records = workload.records.length;
  const a = summarize(records, ours);
  const b = summarize(records, theirs);
  const ratio = a.perSecond / b.perSecond;
  const perCore = a.perCpuSecond / b.perCpuSecond;
  console.log(
    `  ${workload.name} (${format(records)} records): kstreams ${format(a.perSecond)} records/s [${format(a.min)}–${format(a.max)}] (${format(a.perCpuSecond)} per CPU-s), ` +
      `Kafka Streams ${format(b.perSecond)} records/s [${format(b.min)}–${format(b.max)}] (${format(b.perCpuSecond)} per CPU-s); ratio ${ratio.toFixed(2)}, per core ${perCore.toFixed(2)}`,
  );
  const key = `${phase}_${workload.name}`;
  figures[`${key}_records`] = records;
  figures[`${key}_records_s`] = Math.round(a.perSecond);
  figures[`${key}_records_s_min`] = Math.round(a.min);
  figures[`${key}_records_s_max`] = Math.round(a.max);
  figures[`${key}_records_cpu_s`] = Math.round(a.perCpuSecond);
  figures[`${key}_baseline_records_s`] = Math.round(b.perSecond);
  figures[`${key}_baseline_records_s_min`] = Math.round(b.min);
  figures[`${key}_baseline_records_s_max`] = Math.round(b.max);
  figures[`${key}_baseline_records_cpu_s`] = Math.round(b.perCpuSecond);
  figures[`${key}_ratio`] = Number(ratio.toFixed(3));
  figures[`${key}_per_core_ratio`] = Number(perCore.toFixed(3));
}

async function onKafka(build: ReferenceBuild, names: readonly string[], dir: string): Promise<void> {
  console.log(`\nOn Apache Kafka (one broker on loopback; both applications single-threaded; median of ${RUNS} runs each [slowest–fastest]):`);
  const kafka = await startKafka(build);
  const cluster = await KafkaCluster.connect({ bootstrapServers: [kafka.bootstrap], clientId: 'bench', groupId: 'bench' });
  try {
    for (const name of names) {
      const workload = makeWorkloads(scale, [name])[0]!;
      const inputs = [...new Set(workload.records.map((r) => r.topic))];
      await produceInputs(cluster, workload, OUTPUT, (line) => console.log(line));
      const ours: Measurement[] = [];
      const theirs: Measurement[] = [];
      for (let run = 0; run < RUNS; run++) {
        const javaId = `kafka-streams-${workload.name}-${run}`;
        theirs.push(JSON.parse((await runJava(build, 'dev.kstreams.reference.BenchStreams',
          ['kafka', workload.name, kafka.bootstrap, javaId, join(dir, javaId), inputs.join(',')],
          { timeoutMs: 900_000, jvmFlags: [...BENCH_JVM_FLAGS, `-Djava.io.tmpdir=${dir}`] })).trim().split('\n').pop()!) as Measurement);
        const ourId = `kstreams-${workload.name}-${run}`;
        ours.push(...await measureInOwnProcess(['kafka', name, String(scale), kafka.bootstrap, ourId, join(dir, ourId)]));
      }
      report('kafka', workload, ours, theirs);
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
const names = WORKLOAD_NAMES.filter((name) => args.workload === undefined || args.workload.includes(name));
const dir = mkdtempSync(join(tmpdir(), 'kstreams-vs-kafka-streams-'));
try {
  if (args['kafka-only'] !== true) console.log(`In the test drivers (caching off; median of ${RUNS} runs after a warm-up [slowest–fastest]):`);
  for (const name of args['kafka-only'] === true ? [] : names) {
    const workload = makeWorkloads(scale, [name])[0]!;
    const ours = await measureInOwnProcess(['driver', name, String(scale)]);
    const theirs = await kafkaStreamsDriver(build, workload, dir);
    if (ours[0]!.outputs !== theirs[0]!.outputs) throw new Error(`${workload.name}: kstreams emitted ${ours[0]!.outputs} records, Kafka Streams ${theirs[0]!.outputs}`);
    report('driver', workload, ours, theirs);
  }
  if (args['drivers-only'] !== true) await onKafka(build, names, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const ratios = Object.entries(figures).filter(([k]) => k.endsWith('_per_core_ratio')).map(([, v]) => v);
console.log(JSON.stringify({ bench: 'vs-kafka-streams', scale, ...figures, min_per_core_ratio: Math.min(...ratios) }));
