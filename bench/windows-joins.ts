/**
 * Windowed aggregations and joins on KafkaStreams over the embedded log engine (4-partition
 * topics, persistent LevelDB stores with changelogs, caching on as by default), each against the
 * stateless pass-through measured in the same run:
 *
 * - tumbling (1 min) and hopping (5 min every 1 min) windowed count over 2,000 keys;
 * - sliding windows (30 s time difference) count;
 * - session windows (gap 30 s) count;
 * - stream-table join of the input with a 2,000-row table;
 * - stream-stream inner join of the input with a second stream of half as many records, 5 s window
 *   (about one partner per record of an even key, as when orders meet their payments).
 *
 * Targets: windowed count >= 0.25, stream-table join >= 0.5, stream-stream join >= 0.25 of
 * pass-through. Each figure is also given per CPU-second of this process (the log engine included),
 * whose ratio holds better than wall clock when other work shares the machine. Usage: `npx tsx bench/windows-joins.ts [--scale F] [--only NAME]` (NAME: one of the
 * workloads below, e.g. `session-count`). The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  Consumed, JoinWindows, KafkaStreams, LogEngine, Materialized, Produced, Serdes, SessionWindows, SlidingWindows, StreamsBuilder, TimeWindows, WindowedSerdes, setLogLevel,
} from '../src/index.ts';
import type { Topology } from '../src/index.ts';
import { cpuSeconds } from './support/cpu-seconds.ts';

const { values: args } = parseArgs({ options: { scale: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/windows-joins.ts [--scale F] [--only NAME]\nMeasures windowed counts and joins against pass-through on the runtime; last line is JSON.');
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/windows-joins: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}
setLogLevel('warn');

const PARTITIONS = 4;
const RECORDS = Math.round(100_000 * scale);
const KEYS = 2_000;
const START = 1_700_000_000_000;
/** One input record every 5 ms of event time: 100,000 records span about 8 minutes. */
const STEP_MS = 5;
const str = Serdes.String();
const long = Serdes.Long();
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-windows-'));
let runs = 0;

async function produce(log: LogEngine, topic: string, count: number, keyOf: (i: number) => string, valueOf: (i: number) => string, timeOf: (i: number) => number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    await log.produce(topic, Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
      key: Buffer.from(keyOf(i + j)), value: Buffer.from(valueOf(i + j)), timestamp: timeOf(i + j), headers: [],
    })));
  }
}

interface Rate {
  readonly perSecond: number;
  /** Records per second of this process's CPU time: steadier than wall clock on a loaded machine. */
  readonly perCpuSecond: number;
}

/** Records per second (wall clock and CPU) of `topology` from start() until every input record is committed. */
async function rate(label: string, topology: Topology, inputs: { [topic: string]: number }): Promise<Rate> {
  const dir = join(root, `run-${runs++}`);
  const log = await LogEngine.open({ dataDir: join(dir, 'log'), retentionCheckIntervalMs: 0 });
  await log.createTopic('out', { partitions: PARTITIONS });
  for (const [topic, count] of Object.entries(inputs)) {
    await log.createTopic(topic, { partitions: PARTITIONS });
    if (topic === 'table') await produce(log, topic, count, (i) => `key-${i}`, (i) => `row-${i}`, () => START);
    else if (topic === 'other') await produce(log, topic, count, (i) => `key-${(i * 2) % KEYS}`, (i) => `other-${i}`, (i) => START + i * 2 * STEP_MS);
    else await produce(log, topic, count, (i) => `key-${i % KEYS}`, (i) => `value-${i}`, (i) => START + i * STEP_MS);
  }
  const total = Object.values(inputs).reduce((a, b) => a + b, 0);
  const streams = new KafkaStreams(topology, { 'application.id': label, 'state.dir': join(dir, 'state'), 'commit.interval.ms': 100, 'poll.ms': 5 }, { engine: log });
  const started = performance.now();
  const cpu = cpuSeconds();
  await streams.start();
  for (;;) {
    const committed = (await log.fetchOffsets(label)).filter((c) => c.topic in inputs).reduce((sum, c) => sum + c.offset, 0);
    if (committed >= total) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = cpuSeconds() - cpu;
  await streams.close();
  await log.close();
  // Table rows are loaded too, but the rate counts the stream records being joined.
  const records = (inputs.in ?? 0) + (inputs.other ?? 0);
  return { perSecond: records / seconds, perCpuSecond: records / cpuUsed };
}

function topology(build: (builder: StreamsBuilder) => void): Topology {
  const builder = new StreamsBuilder();
  build(builder);
  return builder.build();
}

const input = (builder: StreamsBuilder) => builder.stream<string, string>('in', Consumed.with(str, str));
const passThrough = () => topology((b) => b.stream('in', Consumed.with(Serdes.Bytes(), Serdes.Bytes())).to('out', Produced.with(Serdes.Bytes(), Serdes.Bytes())));
const windowedCount = (windows: TimeWindows) => topology((b) => input(b).groupByKey().windowedBy(windows)
  .count(Materialized.with(str, long)).toStream().to('out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(str, windows.size()), long)));
const slidingCount = () => topology((b) => input(b).groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(30_000))
  .count(Materialized.with(str, long)).toStream().to('out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(str, 30_000), long)));
const sessionCount = () => topology((b) => input(b).groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(30_000))
  .count(Materialized.with(str, long)).toStream().to('out', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(str), long)));
const streamTableJoin = () => topology((b) => input(b).join(b.table<string, string>('table', Consumed.with(str, str)), (v, row) => `${v}|${row}`).to('out', Produced.with(str, str)));
const streamStreamJoin = () => topology((b) => input(b).join(b.stream<string, string>('other', Consumed.with(str, str)), (v, o) => `${v}|${o}`,
  JoinWindows.ofTimeDifferenceWithNoGrace(5_000)).to('out', Produced.with(str, str)));

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number, base: number) => Math.round((n / base) * 100) / 100;
try {
  console.log(`${fmt(RECORDS)} records over ${PARTITIONS} partitions, ${KEYS} keys, persistent stores; best of 2 runs each`);
  const best = async (label: string, make: () => Topology, inputs: { [topic: string]: number }): Promise<Rate> => {
    let top: Rate = { perSecond: 0, perCpuSecond: 0 };
    for (let i = 0; i < 2; i++) {
      const r = await rate(`${label}-${i}`, make(), inputs);
      top = { perSecond: Math.max(top.perSecond, r.perSecond), perCpuSecond: Math.max(top.perCpuSecond, r.perCpuSecond) };
    }
    return top;
  };
  const base = await best('pass', passThrough, { in: RECORDS });
  console.log(`pass-through: ${fmt(base.perSecond)} records/s, ${fmt(base.perCpuSecond)} per CPU-s`);
  const results: { [name: string]: { recordsPerSecond: number; ratio: number; recordsPerCpuSecond: number; cpuRatio: number; target: number } } = {};
  const measure = async (name: string, make: () => Topology, inputs: { [topic: string]: number }, target: number) => {
    if (args.only !== undefined && args.only !== name) return;
    const r = await best(name, make, inputs);
    const wall = ratio(r.perSecond, base.perSecond);
    const cpu = ratio(r.perCpuSecond, base.perCpuSecond);
    results[name] = { recordsPerSecond: Math.round(r.perSecond), ratio: wall, recordsPerCpuSecond: Math.round(r.perCpuSecond), cpuRatio: cpu, target };
    console.log(`${name}: ${fmt(r.perSecond)} records/s = ${wall} of pass-through; ${fmt(r.perCpuSecond)} per CPU-s = ${cpu} (target >= ${target})${wall >= target ? '' : ' MISSED'}`);
  };
  await measure('tumbling-count', () => windowedCount(TimeWindows.ofSizeWithNoGrace(60_000)), { in: RECORDS }, 0.25);
  await measure('hopping-count', () => windowedCount(TimeWindows.ofSizeWithNoGrace(300_000).advanceBy(60_000)), { in: RECORDS }, 0.25);
  await measure('sliding-count', slidingCount, { in: RECORDS }, 0.25);
  await measure('session-count', sessionCount, { in: RECORDS }, 0.25);
  await measure('stream-table-join', streamTableJoin, { in: RECORDS, table: KEYS }, 0.5);
  await measure('stream-stream-join', streamStreamJoin, { in: RECORDS, other: Math.round(RECORDS / 2) }, 0.25);
  console.log(JSON.stringify({ bench: 'windows-joins', records: RECORDS, partitions: PARTITIONS, passThrough: Math.round(base.perSecond), passThroughPerCpuSecond: Math.round(base.perCpuSecond), ...results }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
