/**
 * `num.stream.threads` 1 vs 2 on the embedded log engine: a keyed count over 10,000 keys in a
 * LevelDB store with its changelog, 4-partition topics, from start() until every input offset is
 * committed. Threads are loops sharing one event loop, so the figure to expect is a ratio near 1:
 * this bench shows what a second thread costs or gains (overlapping one thread's awaits with the
 * other's processing), not a second core. Also reports the machine's load average.
 * Usage: `npx tsx bench/stream-threads.ts [--scale F]`. The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Consumed, KafkaStreams, LogEngine, Materialized, Produced, Serdes, StreamsBuilder, setLogLevel } from '../src/index.ts';

const { values: args } = parseArgs({ options: { scale: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/stream-threads.ts [--scale F]\nKeyed count with num.stream.threads 1 and 2 on the embedded engine; last line is JSON.');
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
const str = Serdes.String();
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-threads-'));

function keyedCount() {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in', Consumed.with(str, str)).groupByKey().count(Materialized.as('counts'))
    .toStream().to('out', Produced.with(str, Serdes.Long()));
  return builder.build();
}

/** Records per second of the keyed count with `threads` stream threads. */
async function rate(threads: number): Promise<number> {
  const dir = join(root, `threads-${threads}`);
  const log = await LogEngine.open({ dataDir: join(dir, 'log'), retentionCheckIntervalMs: 0 });
  await log.createTopic('in', { partitions: PARTITIONS });
  await log.createTopic('out', { partitions: PARTITIONS });
  for (let i = 0; i < RECORDS; i += 1000) {
    await log.produce('in', Array.from({ length: Math.min(1000, RECORDS - i) }, (_, j) => ({
      key: Buffer.from(`key-${(i + j) % KEYS}`), value: Buffer.from(`value-${i + j}`), timestamp: 1_700_000_000_000 + i + j, headers: [],
    })));
  }
  const appId = `count-${threads}`;
  const streams = new KafkaStreams(keyedCount(), { 'application.id': appId, 'state.dir': join(dir, 'state'), 'commit.interval.ms': 100, 'poll.ms': 5, 'num.stream.threads': threads }, { engine: log });
  const started = performance.now();
  await streams.start();
  const committed = async () => (await log.fetchOffsets(appId)).filter((c) => c.topic === 'in').reduce((sum, c) => sum + c.offset, 0);
  while ((await committed()) < RECORDS) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  await streams.close();
  await log.close();
  return RECORDS / seconds;
}

try {
  const oneThread = await rate(1);
  console.log(`1 thread : ${Math.round(oneThread)} records/s`);
  const twoThreads = await rate(2);
  console.log(`2 threads: ${Math.round(twoThreads)} records/s`);
  const ratio = twoThreads / oneThread;
  const load = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`ratio 2/1: ${ratio.toFixed(2)} (load average ${load.join(', ')})`);
  console.log(JSON.stringify({ bench: 'stream-threads', records: RECORDS, oneThreadPerSec: Math.round(oneThread), twoThreadsPerSec: Math.round(twoThreads), ratio: Number(ratio.toFixed(2)), loadAverage: load }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
