/**
 * `num.stream.threads` 1 vs 2 on the embedded log engine: a keyed count over 10,000 keys in a
 * LevelDB store with its changelog, 4-partition topics, measured from the moment a quarter of the
 * input is committed until all of it is (the steady state, past each isolate's JIT warm-up), three ways: one thread; two in-loop threads (loops sharing one event loop: they only
 * overlap one another's awaits); two worker threads (the `topologyModule` option: each thread in a
 * `worker_threads` Worker, on its own core). The ratio the target is about is two worker threads
 * over one thread (which always runs in-loop). Also reports the load
 * average, CPU seconds of the process and of its main thread alone (which every worker's
 * fetches and appends go through). Runs on the embedded engine and over the Kafka protocol
 * against the bundled broker (`KafkaBroker`, in this process, on its own engine); with
 * `--cluster kafka`, against Apache Kafka (one broker on loopback, started by test/reference/kit.ts;
 * its CPU is not counted).
 * Usage: `npx tsx --conditions=kstreams-source bench/stream-threads.ts [--scale F] [--cluster embedded|broker|both|kafka]`.
 * The last line is one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KafkaCluster } from '../src/client/index.ts';
import { KafkaBroker, KafkaStreams, LogEngine, setLogLevel } from '../src/index.ts';
import { buildReference, missingReferenceTools, startKafka, type ReferenceKafka } from '../test/reference/kit.ts';
import keyedCount from './support/keyed-count-topology.ts';

const { values: args } = parseArgs({ options: { scale: { type: 'string' }, cluster: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx --conditions=kstreams-source bench/stream-threads.ts [--scale F] [--cluster embedded|broker|both|kafka]\nKeyed count with num.stream.threads 1 and 2, in-loop and in worker threads; last line is JSON.');
  process.exit(0);
}
const clusterArg = args.cluster ?? 'both';
if (clusterArg !== 'embedded' && clusterArg !== 'broker' && clusterArg !== 'both' && clusterArg !== 'kafka') {
  console.error(`bench/stream-threads: --cluster must be embedded, broker, both or kafka, got '${clusterArg}'`);
  process.exit(2);
}
type ClusterKind = 'embedded' | 'broker' | 'kafka';
const clusters: ClusterKind[] = clusterArg === 'both' ? ['embedded', 'broker'] : [clusterArg];
const missingKafka = clusterArg === 'kafka' ? missingReferenceTools() : undefined;
if (missingKafka !== undefined) {
  console.log(`bench/stream-threads --cluster kafka skipped: ${missingKafka}`);
  console.log(JSON.stringify({ bench: 'stream-threads', skipped: missingKafka }));
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/stream-threads: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}
setLogLevel('warn');

const PARTITIONS = 4;
const KEYS = 10_000;
const RECORDS = Math.round(200_000 * scale);
/** The share of the input processed before measuring starts. */
const WARM_UP_SHARE = 0.25;
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-threads-'));
const topologyModule = new URL('./support/keyed-count-topology.ts', import.meta.url);

/** CPU seconds of the main thread alone (utime + stime of its /proc task, in clock ticks of 10 ms), or NaN off Linux. */
function mainThreadCpuSeconds(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The input: RECORDS records over KEYS keys. */
function inputRecords(from: number, to: number) {
  return Array.from({ length: to - from }, (_, j) => ({
    key: Buffer.from(`key-${(from + j) % KEYS}`), value: Buffer.from(`value-${from + j}`), timestamp: 1_700_000_000_000 + from + j, headers: [],
  }));
}

/** Apache Kafka, started once for every run, "in" produced once (each run reads it under its own application.id). */
let apacheKafka: { readonly kafka: ReferenceKafka; readonly client: KafkaCluster } | undefined;

async function startApacheKafka(): Promise<{ readonly kafka: ReferenceKafka; readonly client: KafkaCluster }> {
  const kafka = await startKafka(buildReference((line) => console.log(line)));
  const client = await KafkaCluster.connect({ bootstrapServers: [kafka.bootstrap], clientId: 'bench', groupId: 'bench' });
  // The input's timestamps are of 2023: Kafka's time-based retention (7 days) would delete it under the runs.
  await client.ensureTopics(['in', 'out'].map((name) => ({ name, partitions: PARTITIONS, config: { 'retention.ms': '-1' } })));
  for (let i = 0; i < RECORDS; i += 1000) await client.produce('in', inputRecords(i, Math.min(RECORDS, i + 1000)));
  return { kafka, client };
}

/** Where one run counts: its streams config and options, how far its group committed, and what to close. */
interface Target {
  readonly config: Record<string, unknown>;
  readonly options: { engine?: LogEngine };
  committed(appId: string): Promise<number>;
  close(): Promise<void>;
}

async function targetOf(cluster: ClusterKind, dir: string): Promise<Target> {
  const sumIn = (offsets: ReadonlyArray<{ topic: string; offset: number }>) => offsets.filter((c) => c.topic === 'in').reduce((sum, c) => sum + c.offset, 0);
  if (cluster === 'kafka') {
    const { kafka, client } = apacheKafka ??= await startApacheKafka();
    return { config: { 'bootstrap.servers': kafka.bootstrap }, options: {}, committed: async (appId) => sumIn(await client.committedOffsets(appId)), close: async () => {} };
  }
  const log = await LogEngine.open({ dataDir: join(dir, 'log'), retentionCheckIntervalMs: 0 });
  await log.createTopic('in', { partitions: PARTITIONS });
  await log.createTopic('out', { partitions: PARTITIONS });
  for (let i = 0; i < RECORDS; i += 1000) await log.produce('in', inputRecords(i, Math.min(RECORDS, i + 1000)));
  const broker = cluster === 'broker' ? new KafkaBroker({ engine: log, port: 0 }) : undefined;
  const config = broker === undefined ? {} : { 'bootstrap.servers': `127.0.0.1:${(await broker.start()).port}` };
  return {
    config,
    options: broker === undefined ? { engine: log } : {},
    committed: async (appId) => sumIn(await log.fetchOffsets(appId)),
    close: async () => {
      await broker?.close();
      await log.close();
    },
  };
}

/** Records per second of the keyed count with `threads` stream threads, in-loop or in workers. */
async function rate(cluster: ClusterKind, threads: number, workers: boolean): Promise<Rate> {
  const run = `${cluster}-threads-${threads}-${workers ? 'workers' : 'in-loop'}`;
  const dir = join(root, run);
  const target = await targetOf(cluster, dir);
  const appId = `count-${run}`;
  const streams = new KafkaStreams(keyedCount(), { 'application.id': appId, 'state.dir': join(dir, 'state'), 'commit.interval.ms': 100, 'poll.ms': 5, 'num.stream.threads': threads, ...target.config },
    { ...target.options, ...(workers ? { topologyModule } : {}) });
  await streams.start();
  // Steady state: from the moment a quarter of the input is committed, so neither a worker's start
  // (loading the topology module) nor the JIT warm-up of each isolate counts as throughput.
  while ((await target.committed(appId)) < RECORDS * WARM_UP_SHARE) await new Promise((resolve) => setTimeout(resolve, 2));
  const from = await target.committed(appId);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuSeconds();
  while ((await target.committed(appId)) < RECORDS) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const mainCpu = mainThreadCpuSeconds() - mainBefore;
  const counted = RECORDS - from;
  await streams.close();
  await target.close();
  return { perSec: counted / seconds, perCpuSec: counted / ((cpu.user + cpu.system) / 1e6), perMainThreadCpuSec: counted / mainCpu };
}

/** Records per second; per CPU-second of the process (all threads); per CPU-second of the main thread (what every worker goes through). */
interface Rate {
  readonly perSec: number;
  readonly perCpuSec: number;
  readonly perMainThreadCpuSec: number;
}

function measured(label: string, { perSec, perCpuSec, perMainThreadCpuSec }: Rate): Rate {
  console.log(`${label}: ${Math.round(perSec)} records/s, ${Math.round(perCpuSec)} records per CPU-second, ${Math.round(perMainThreadCpuSec)} per main-thread CPU-second`);
  return { perSec: Math.round(perSec), perCpuSec: Math.round(perCpuSec), perMainThreadCpuSec: Math.round(perMainThreadCpuSec) };
}

const round2 = (n: number) => Number(n.toFixed(2));

try {
  const results: Record<string, unknown> = {};
  for (const cluster of clusters) {
    const oneThread = measured(`${cluster}: 1 in-loop thread `, await rate(cluster, 1, false));
    const twoThreads = measured(`${cluster}: 2 in-loop threads`, await rate(cluster, 2, false));
    const twoWorkers = measured(`${cluster}: 2 worker threads `, await rate(cluster, 2, true));
    const ratio = twoWorkers.perSec / oneThread.perSec;
    console.log(`${cluster}: ratio 2 workers / 1 thread ${ratio.toFixed(2)}; 2 in-loop / 1 thread ${(twoThreads.perSec / oneThread.perSec).toFixed(2)}`);
    results[cluster] = { oneThread, twoThreads, twoWorkers, ratio: round2(ratio), inLoopRatio: round2(twoThreads.perSec / oneThread.perSec) };
  }
  const load = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`load average ${load.join(', ')}`);
  console.log(JSON.stringify({ bench: 'stream-threads', records: RECORDS, ...results, loadAverage: load }));
} finally {
  await apacheKafka?.client.close();
  await apacheKafka?.kafka.stop();
  rmSync(root, { recursive: true, force: true });
}
