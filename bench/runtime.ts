/**
 * KafkaStreams on the embedded log engine, with 4-partition topics, against baselines measured in
 * the same run:
 *
 * - pass-through (`stream('in').to('out')`) vs a hand-written consume → append loop over the same log;
 * - keyed count over 10,000 keys in a LevelDB store with its changelog, vs pass-through;
 * - restore of a store from a changelog of 1M records (`--scale` shrinks it) vs raw classic-level
 *   batched puts of as many entries.
 *
 * Each rate runs from start() until every input offset is committed. Targets: pass-through >= 0.5
 * of the hand loop; keyed count >= 0.25 of pass-through; restore >= 0.5 of raw classic-level. The
 * restore and its baseline are also given per CPU-second of the process (every thread: LevelDB
 * writes on libuv's pool and the LevelDB thread count too), which a loaded machine disturbs less.
 * Usage: `npx tsx bench/runtime.ts [--scale F]`. The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClassicLevel } from 'classic-level';
import { Consumed, KafkaStreams, LogEngine, Materialized, Produced, Serdes, Stores, StreamsBuilder, setLogLevel } from '../src/index.ts';
import type { Topology } from '../src/index.ts';
import { cpuSeconds } from './support/cpu-seconds.ts';

const { values: args } = parseArgs({ options: { scale: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/runtime.ts [--scale F]\nMeasures KafkaStreams on the embedded engine against hand-written baselines; last line is JSON.');
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/runtime: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}
setLogLevel('warn');

const PARTITIONS = 4;
const RECORDS = Math.round(200_000 * scale);
const RESTORE_RECORDS = Math.round(1_000_000 * scale);
const str = Serdes.String();
const long = Serdes.Long();
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-runtime-'));
let runs = 0;

async function freshLog(): Promise<{ log: LogEngine; dir: string }> {
  const dir = join(root, `run-${runs++}`);
  return { log: await LogEngine.open({ dataDir: join(dir, 'log'), retentionCheckIntervalMs: 0 }), dir };
}

async function fillInput(log: LogEngine, keys: number): Promise<void> {
  await log.createTopic('in', { partitions: PARTITIONS });
  await log.createTopic('out', { partitions: PARTITIONS });
  for (let i = 0; i < RECORDS; i += 1000) {
    await log.produce('in', Array.from({ length: Math.min(1000, RECORDS - i) }, (_, j) => ({
      key: Buffer.from(`key-${(i + j) % keys}`), value: Buffer.from(`value-${i + j}`), timestamp: 1_700_000_000_000 + i + j, headers: [],
    })));
  }
}

async function committedTotal(log: LogEngine, group: string): Promise<number> {
  return (await log.fetchOffsets(group)).filter((c) => c.topic === 'in').reduce((sum, c) => sum + c.offset, 0);
}

/** Records per second of a topology from start() until all input is committed. */
async function streamsRate(topology: Topology, keys: number, label: string): Promise<number> {
  const { log, dir } = await freshLog();
  await fillInput(log, keys);
  const streams = new KafkaStreams(topology, { 'application.id': label, 'state.dir': join(dir, 'state'), 'commit.interval.ms': 100, 'poll.ms': 5 }, { engine: log });
  const started = performance.now();
  await streams.start();
  while ((await committedTotal(log, label)) < RECORDS) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  await streams.close();
  await log.close();
  return RECORDS / seconds;
}

/** The baseline: fetch each partition of `in` and append the same records to `out`, in batches. */
async function handLoopRate(): Promise<number> {
  const { log } = await freshLog();
  await fillInput(log, 1000);
  const started = performance.now();
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const { latest } = await log.listOffsets('in', partition);
    for (let offset = 0; offset < latest; ) {
      const page = await log.fetch('in', partition, offset, { maxBytes: 256 * 1024 });
      await log.produce('out', page.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers })));
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  await log.flush();
  const seconds = (performance.now() - started) / 1000;
  await log.close();
  return RECORDS / seconds;
}

function passThrough(): Topology {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(Serdes.Bytes(), Serdes.Bytes())).to('out', Produced.with(Serdes.Bytes(), Serdes.Bytes()));
  return builder.build();
}

function keyedCount(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in', Consumed.with(str, str))
    .groupByKey()
    .count(Materialized.as<string, number>(Stores.persistentKeyValueStore('counts')).withValueSerde(long))
    .toStream()
    .to('out', Produced.with(str, long));
  return builder.build();
}

/** Records per second of wall clock and per CPU-second of the process. */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

/** Restore rate of a LevelDB store whose changelog holds RESTORE_RECORDS distinct keys. */
async function restoreRate(): Promise<Rate> {
  const { log, dir } = await freshLog();
  await log.createTopic('in', { partitions: PARTITIONS });
  await log.createTopic('out', { partitions: PARTITIONS });
  await log.createTopic('restore-counts-changelog', { partitions: PARTITIONS, config: { 'cleanup.policy': 'compact' } });
  for (let i = 0; i < RESTORE_RECORDS; i += 2000) {
    const batch = Array.from({ length: Math.min(2000, RESTORE_RECORDS - i) }, (_, j) => ({
      key: Buffer.from(`key-${i + j}`), value: long.serialize('c', i + j), timestamp: 1, headers: [],
    }));
    for (let p = 0; p < PARTITIONS; p++) await log.produce('restore-counts-changelog', batch.filter((_, j) => j % PARTITIONS === p).map((r) => ({ ...r, partition: p })));
  }
  const streams = new KafkaStreams(keyedCount(), { 'application.id': 'restore', 'state.dir': join(dir, 'state') }, { engine: log });
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  await streams.start();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds() - cpuStarted;
  await streams.close();
  await log.close();
  return { wall: RESTORE_RECORDS / seconds, cpu: RESTORE_RECORDS / cpu };
}

async function rawLevelRate(): Promise<Rate> {
  const db = new ClassicLevel<Buffer, Buffer>(join(root, 'raw-level'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  for (let i = 0; i < RESTORE_RECORDS; i += 10_000) {
    await db.batch(Array.from({ length: Math.min(10_000, RESTORE_RECORDS - i) }, (_, j) => ({
      type: 'put' as const, key: Buffer.from(`key-${i + j}`), value: long.serialize('c', i + j)!,
    })));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds() - cpuStarted;
  await db.close();
  return { wall: RESTORE_RECORDS / seconds, cpu: RESTORE_RECORDS / cpu };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
try {
  console.log(`pass-through and keyed count: ${fmt(RECORDS)} records over ${PARTITIONS} partitions; restore: ${fmt(RESTORE_RECORDS)} changelog records`);
  const hand = await handLoopRate();
  console.log(`hand-written consume -> append loop: ${fmt(hand)} records/s`);
  const pass = await streamsRate(passThrough(), 1000, 'pass');
  console.log(`pass-through: ${fmt(pass)} records/s, ratio ${(pass / hand).toFixed(2)} of the hand loop (target >= 0.5)`);
  const count = await streamsRate(keyedCount(), 10_000, 'count');
  console.log(`keyed count (10k keys, LevelDB, changelog): ${fmt(count)} records/s, ratio ${(count / pass).toFixed(2)} of pass-through (target >= 0.25)`);
  const raw = await rawLevelRate();
  console.log(`raw classic-level batched puts: ${fmt(raw.wall)} entries/s (${fmt(raw.cpu)} per CPU-second)`);
  const restore = await restoreRate();
  console.log(`restore from changelog: ${fmt(restore.wall)} records/s, ratio ${(restore.wall / raw.wall).toFixed(2)} of raw classic-level (target >= 0.5); ` +
    `${fmt(restore.cpu)} per CPU-second, ratio ${(restore.cpu / raw.cpu).toFixed(2)}`);
  console.log(JSON.stringify({
    bench: 'runtime',
    hand_loop_records_s: Math.round(hand),
    pass_through_records_s: Math.round(pass),
    pass_through_ratio: Number((pass / hand).toFixed(3)),
    keyed_count_records_s: Math.round(count),
    keyed_count_ratio: Number((count / pass).toFixed(3)),
    raw_level_puts_s: Math.round(raw.wall),
    restore_records_s: Math.round(restore.wall),
    restore_ratio: Number((restore.wall / raw.wall).toFixed(3)),
    raw_level_puts_cpu_s: Math.round(raw.cpu),
    restore_records_cpu_s: Math.round(restore.cpu),
    restore_ratio_cpu: Number((restore.cpu / raw.cpu).toFixed(3)),
  }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
