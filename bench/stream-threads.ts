/**
 * `num.stream.threads` 1 vs 2 on the embedded log engine: a keyed count over 10,000 keys in a
 * LevelDB store with its changelog, 4-partition topics, from start() until every input offset is
 * committed, three ways: one thread; two in-loop threads (loops sharing one event loop: they only
 * overlap one another's awaits); two worker threads (the `topologyModule` option: each thread in a
 * `worker_threads` Worker, on its own core). The ratio the target is about is two worker threads
 * over one thread (which always runs in-loop). Also reports the load
 * average and CPU seconds of the process. Runs on the embedded engine and over the Kafka protocol
 * against the bundled broker (`KafkaBroker`, in this process, on its own engine).
 * Usage: `npx tsx --conditions=kstreams-source bench/stream-threads.ts [--scale F] [--cluster embedded|broker|both]`.
 * The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KafkaBroker, KafkaStreams, LogEngine, setLogLevel } from '../src/index.ts';
import keyedCount from './support/keyed-count-topology.ts';

const { values: args } = parseArgs({ options: { scale: { type: 'string' }, cluster: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx --conditions=kstreams-source bench/stream-threads.ts [--scale F] [--cluster embedded|broker|both]\nKeyed count with num.stream.threads 1 and 2, in-loop and in worker threads; last line is JSON.');
  process.exit(0);
}
const clusterArg = args.cluster ?? 'both';
if (clusterArg !== 'embedded' && clusterArg !== 'broker' && clusterArg !== 'both') {
  console.error(`bench/stream-threads: --cluster must be embedded, broker or both, got '${clusterArg}'`);
  process.exit(2);
}
type ClusterKind = 'embedded' | 'broker';
const clusters: ClusterKind[] = clusterArg === 'both' ? ['embedded', 'broker'] : [clusterArg];
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/stream-threads: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}
setLogLevel('warn');

const PARTITIONS = 4;
const KEYS = 10_000;
const RECORDS = Math.round(200_000 * scale);
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-threads-'));
const topologyModule = new URL('./support/keyed-count-topology.ts', import.meta.url);

/** Records per second of the keyed count with `threads` stream threads, in-loop or in workers. */
async function rate(cluster: ClusterKind, threads: number, workers: boolean): Promise<{ perSec: number; perCpuSec: number }> {
  const dir = join(root, `${cluster}-threads-${threads}-${workers ? 'workers' : 'in-loop'}`);
  const log = await LogEngine.open({ dataDir: join(dir, 'log'), retentionCheckIntervalMs: 0 });
  await log.createTopic('in', { partitions: PARTITIONS });
  await log.createTopic('out', { partitions: PARTITIONS });
  for (let i = 0; i < RECORDS; i += 1000) {
    await log.produce('in', Array.from({ length: Math.min(1000, RECORDS - i) }, (_, j) => ({
      key: Buffer.from(`key-${(i + j) % KEYS}`), value: Buffer.from(`value-${i + j}`), timestamp: 1_700_000_000_000 + i + j, headers: [],
    })));
  }
  const appId = `count-${threads}`;
  const broker = cluster === 'broker' ? new KafkaBroker({ engine: log, port: 0 }) : undefined;
  const servers = broker === undefined ? {} : { 'bootstrap.servers': `127.0.0.1:${(await broker.start()).port}` };
  const streams = new KafkaStreams(keyedCount(), { 'application.id': appId, 'state.dir': join(dir, 'state'), 'commit.interval.ms': 100, 'poll.ms': 5, 'num.stream.threads': threads, ...servers },
    { ...(broker === undefined ? { engine: log } : {}), ...(workers ? { topologyModule } : {}) });
  // From RUNNING on: a worker's start (loading the topology module) is a one-off cost, not throughput.
  await streams.start();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const committed = async () => (await log.fetchOffsets(appId)).filter((c) => c.topic === 'in').reduce((sum, c) => sum + c.offset, 0);
  while ((await committed()) < RECORDS) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await streams.close();
  await broker?.close();
  await log.close();
  return { perSec: RECORDS / seconds, perCpuSec: RECORDS / ((cpu.user + cpu.system) / 1e6) };
}

function measured(label: string, { perSec, perCpuSec }: { perSec: number; perCpuSec: number }): { perSec: number; perCpuSec: number } {
  console.log(`${label}: ${Math.round(perSec)} records/s, ${Math.round(perCpuSec)} records per CPU-second`);
  return { perSec: Math.round(perSec), perCpuSec: Math.round(perCpuSec) };
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
  rmSync(root, { recursive: true, force: true });
}
