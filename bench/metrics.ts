/**
 * What recording metrics costs: KafkaStreams on the embedded log engine running the same topology
 * with metrics off (`recordMetrics: false`), at `metrics.recording.level` INFO (the default) and at
 * DEBUG, in alternating rounds in one process, so machine noise hits every setting alike. Reported
 * per setting: the median over the rounds of records per CPU-second of this process (user +
 * system time, from start() until every input offset is committed; everything runs in-process),
 * which a machine shared with other work disturbs far less than wall-clock rates.
 *
 * The topology is a pass-through with a mapValues: per record, INFO records the source and the
 * sink's end-to-end latency; DEBUG adds the task's process latency and record lateness. Target:
 * INFO costs <= 5% of the rate with metrics off.
 *
 * A second measure isolates the hot path: one StreamTask fed in memory (no log engine, no I/O),
 * processing the same records with and without its sensors, also alternated and reported as medians.
 * Usage: `npx tsx bench/metrics.ts [--scale F] [--rounds N]`. The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Consumed, KafkaStreams, LogEngine, Produced, Serdes, StreamsBuilder, setLogLevel, systemClock } from '../src/index.ts';
import type { Topology } from '../src/index.ts';
import { MetricsRegistry, metricsSettingsOf } from '../src/metrics/index.ts';
import { StreamTask } from '../src/runtime/index.ts';
import type { ConsumedRecord, ProducedRecord } from '../src/runtime/index.ts';
import { ThreadMetrics } from '../src/runtime/thread-metrics.ts';

const { values: args } = parseArgs({ options: { scale: { type: 'string' }, rounds: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/metrics.ts [--scale F] [--rounds N]\nThroughput with metrics off, at INFO and at DEBUG; last line is JSON.');
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
const rounds = args.rounds === undefined ? 5 : Number(args.rounds);
if (!(scale > 0) || !Number.isInteger(rounds) || rounds < 1) {
  console.error(`bench/metrics: --scale must be a positive number and --rounds a whole number >= 1, got '${args.scale}' and '${args.rounds}'`);
  process.exit(2);
}
setLogLevel('warn');

const PARTITIONS = 4;
const RECORDS = Math.round(200_000 * scale);
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-metrics-'));
let runs = 0;

type Setting = 'off' | 'INFO' | 'DEBUG';

function topology(): Topology {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in', Consumed.with(Serdes.String(), Serdes.String()))
    .mapValues((value) => value.length)
    .to('out', Produced.with(Serdes.String(), Serdes.Integer()));
  return builder.build();
}

async function committedTotal(log: LogEngine, group: string): Promise<number> {
  return (await log.fetchOffsets(group)).filter((c) => c.topic === 'in').reduce((sum, c) => sum + c.offset, 0);
}

/** CPU seconds (user + system) this process spent since `since`. */
function cpuSecondsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** Records per CPU-second from start() until all input is committed, with metrics as `setting` says. */
async function rate(setting: Setting): Promise<number> {
  const dir = join(root, `run-${runs++}`);
  const log = await LogEngine.open({ dataDir: join(dir, 'log'), retentionCheckIntervalMs: 0 });
  await log.createTopic('in', { partitions: PARTITIONS });
  await log.createTopic('out', { partitions: PARTITIONS });
  for (let i = 0; i < RECORDS; i += 1000) {
    await log.produce('in', Array.from({ length: Math.min(1000, RECORDS - i) }, (_, j) => ({
      key: Buffer.from(`key-${(i + j) % 1000}`), value: Buffer.from(`value-${i + j}`), timestamp: Date.now(), headers: [],
    })));
  }
  const config = {
    'application.id': 'metrics-bench', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 100, 'poll.ms': 5,
    ...(setting === 'off' ? {} : { 'metrics.recording.level': setting }),
  };
  const streams = new KafkaStreams(topology(), config, { engine: log, recordMetrics: setting !== 'off' });
  const started = process.cpuUsage();
  await streams.start();
  while ((await committedTotal(log, 'metrics-bench')) < RECORDS) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = cpuSecondsSince(started);
  await streams.close();
  await log.close();
  rmSync(dir, { recursive: true, force: true });
  return RECORDS / seconds;
}

const TASK_RECORDS = Math.round(1_000_000 * scale);
const taskInput: ConsumedRecord[] = Array.from({ length: 10_000 }, (_, i) => ({
  offset: i, key: Buffer.from(`key-${i % 1000}`), value: Buffer.from(`value-${i}`), timestamp: 1_700_000_000_000 + i, headers: [],
}));

/** Records per CPU-second of one StreamTask processing TASK_RECORDS in memory, with sensors as `setting` says. */
function taskRate(setting: Setting): number {
  const built = topology();
  let sent = 0;
  const collector = { send: (_record: ProducedRecord) => void sent++, partitionsFor: () => PARTITIONS, flush: () => {} };
  const config = { 'application.id': 'metrics-bench', 'metrics.recording.level': setting === 'off' ? 'INFO' : setting };
  const metrics = setting === 'off' ? undefined : new ThreadMetrics(new MetricsRegistry(metricsSettingsOf(config)), 'bench-thread').taskMetrics('0_0');
  const task = new StreamTask({
    topology: { subtopologyId: 0, nodes: [...built.nodes.values()], stores: [], topicName: (name) => name },
    partition: 0, config, collector, clock: systemClock, ...(metrics === undefined ? {} : { metrics }),
  });
  void task.initializeIfNeeded();
  task.completeRestoration();
  const started = process.cpuUsage();
  for (let done = 0; done < TASK_RECORDS; done += taskInput.length) {
    // The thread sets the iteration's time once per batch; so does this loop.
    if (metrics !== undefined) metrics.nowMs = Date.now();
    task.addRecords('in', taskInput.map((r, i) => ({ ...r, offset: done + i })));
    while (task.process());
  }
  const seconds = cpuSecondsSince(started);
  if (sent !== TASK_RECORDS) throw new Error(`the task sent ${sent} of ${TASK_RECORDS} records`);
  return TASK_RECORDS / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
try {
  console.log(`${fmt(RECORDS)} records over ${PARTITIONS} partitions, ${rounds} rounds of off / INFO / DEBUG`);
  const rates: Record<Setting, number[]> = { off: [], INFO: [], DEBUG: [] };
  await rate('off'); // warm-up, not counted
  for (let round = 0; round < rounds; round++) {
    for (const setting of ['off', 'INFO', 'DEBUG'] as const) rates[setting].push(await rate(setting));
    console.log(`round ${round + 1}: off ${fmt(rates.off.at(-1)!)}, INFO ${fmt(rates.INFO.at(-1)!)}, DEBUG ${fmt(rates.DEBUG.at(-1)!)} records/CPU-s`);
  }
  console.log(`one StreamTask in memory: ${fmt(TASK_RECORDS)} records, ${rounds} rounds of off / INFO / DEBUG`);
  const taskRates: Record<Setting, number[]> = { off: [], INFO: [], DEBUG: [] };
  taskRate('off'); // warm-up, not counted
  for (let round = 0; round < rounds; round++) {
    for (const setting of ['off', 'INFO', 'DEBUG'] as const) taskRates[setting].push(taskRate(setting));
    console.log(`round ${round + 1}: off ${fmt(taskRates.off.at(-1)!)}, INFO ${fmt(taskRates.INFO.at(-1)!)}, DEBUG ${fmt(taskRates.DEBUG.at(-1)!)} records/CPU-s`);
  }
  const taskOff = median(taskRates.off);
  const taskInfo = median(taskRates.INFO);
  const taskDebug = median(taskRates.DEBUG);
  console.log(`task, metrics off: ${fmt(taskOff)} records/CPU-s; INFO ratio ${(taskInfo / taskOff).toFixed(3)}; DEBUG ratio ${(taskDebug / taskOff).toFixed(3)}`);
  const off = median(rates.off);
  const info = median(rates.INFO);
  const debug = median(rates.DEBUG);
  console.log(`metrics off: ${fmt(off)} records/CPU-s (median)`);
  console.log(`INFO: ${fmt(info)} records/CPU-s, ratio ${(info / off).toFixed(3)} of off (target >= 0.95)`);
  console.log(`DEBUG: ${fmt(debug)} records/CPU-s, ratio ${(debug / off).toFixed(3)} of off`);
  console.log(JSON.stringify({
    bench: 'metrics',
    records: RECORDS,
    rounds,
    off_records_cpu_s: Math.round(off),
    info_records_cpu_s: Math.round(info),
    info_ratio: Number((info / off).toFixed(3)),
    debug_records_cpu_s: Math.round(debug),
    debug_ratio: Number((debug / off).toFixed(3)),
    task_off_records_cpu_s: Math.round(taskOff),
    task_info_ratio: Number((taskInfo / taskOff).toFixed(3)),
    task_debug_ratio: Number((taskDebug / taskOff).toFixed(3)),
  }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
