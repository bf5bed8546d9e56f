/**
 * State larger than the JavaScript heap: KafkaStreams on the embedded log engine with persistent
 * (LevelDB) stores, each phase in its own `node --max-old-space-size=512` process so a store that
 * kept its keys in the heap would run out of memory.
 *
 * Phases:
 * - small state (the baseline, measured in the same run): a keyed count over 10,000 keys and a
 *   session-windowed count over 1,000 keys, 200,000 records each, once with the stores' keys in
 *   the heap (the in-heap index design) and once with them on disk only from the first commit
 *   (`statestore.key.index.max.keys` 0): the ratio of the two is the cost of keys on disk;
 * - keyed count over `--keys` distinct keys (default 20M), one record per key;
 * - session-windowed count over `--session-keys` distinct keys (default 5M), two records per key
 *   (the second extends the session the first opened, so every record reads its key's sessions).
 *
 * - the LevelDB store alone (`store-count`): a keyed count's reads and writes (get, then put, per
 *   key; a flush every 10,000 keys, as commits do) over `--keys` distinct keys, with the heap
 *   measured after a forced GC, so the store's own memory shows apart from the runtime's.
 *
 * Input for a large phase is produced while the app runs; a phase stops producing once
 * `--seconds` (default 300) have passed and then waits for what was produced to be committed, so
 * the figure is the records committed, the rate, and a heap/RSS curve sampled every 10 s (heap
 * after a forced GC); peak RSS
 * is `process.resourceUsage().maxRSS`. Usage:
 * `npx tsx bench/state-larger-than-memory.ts [--keys N] [--session-keys N] [--seconds S] [--key-index-max-keys N] [--phases a,b]`
 * (the last sets `statestore.key.index.max.keys` for the large phases; unset, the product's default).
 * The last line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Consumed, Grouped, KafkaStreams, LogEngine, Materialized, Produced, Serdes, SessionWindows, Stores, StreamsBuilder, setLogLevel } from '../src/index.ts';
import type { Topology } from '../src/index.ts';
import { LevelDbKeyValueStore, levelDbMemoryBytes } from '../src/state/index.ts';

const { values: args } = parseArgs({
  options: {
    keys: { type: 'string' }, 'session-keys': { type: 'string' }, seconds: { type: 'string' }, 'key-index-max-keys': { type: 'string' },
    phase: { type: 'string' }, phases: { type: 'string' }, help: { type: 'boolean' },
  },
  strict: true,
});
if (args.help === true) {
  console.log('usage: npx tsx bench/state-larger-than-memory.ts [--keys N] [--session-keys N] [--seconds S]\n' +
    'Runs keyed and session counts over more keys than a 512 MB heap holds; last line is JSON.');
  process.exit(0);
}
function positive(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!(n > 0)) {
    console.error(`bench/state-larger-than-memory: --${name} must be a positive number, got '${value}'`);
    process.exit(2);
  }
  return n;
}
const KEYS = positive('keys', args.keys, 20_000_000);
const SESSION_KEYS = positive('session-keys', args['session-keys'], 5_000_000);
const SECONDS = positive('seconds', args.seconds, 300);
/** `statestore.key.index.max.keys` for the large phases (unset: the product's default). */
const KEY_INDEX_MAX_KEYS: number | undefined = args['key-index-max-keys'] === undefined ? undefined : Number(args['key-index-max-keys']);
if (KEY_INDEX_MAX_KEYS !== undefined && !(Number.isInteger(KEY_INDEX_MAX_KEYS) && KEY_INDEX_MAX_KEYS >= 0)) {
  console.error(`bench/state-larger-than-memory: --key-index-max-keys must be a whole number >= 0, got '${args['key-index-max-keys']}'`);
  process.exit(2);
}
const PARTITIONS = 4;
const SMALL_RECORDS = 200_000;
const HEAP_MB = 512;
const str = Serdes.String();
const long = Serdes.Long();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface PhaseResult {
  phase: string;
  records: number;
  records_s: number;
  /** Records per second of CPU the whole process spent (every thread, the LevelDB thread included). */
  records_cpu_s: number;
  max_rss_mb: number;
  /**
   * `heap_mb`: live heap after a GC; `heap_total_mb`: what V8 holds for its heap; `external_mb`:
   * Buffers and other memory V8 tracks outside its heap (not bounded by --max-old-space-size);
   * `leveldb_mb`: memtables and block caches of the stores' databases, by LevelDB's count.
   */
  curve: Array<{ s: number; records: number; heap_mb: number; heap_total_mb: number; external_mb: number; leveldb_mb: number; rss_mb: number }>;
}

/** The memory figures of a curve point, in MB. */
function memoryNow(): { heap_mb: number; heap_total_mb: number; external_mb: number; leveldb_mb: number; rss_mb: number } {
  const memory = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return { heap_mb: mb(memory.heapUsed), heap_total_mb: mb(memory.heapTotal), external_mb: mb(memory.external), leveldb_mb: mb(levelDbMemoryBytes()), rss_mb: mb(memory.rss) };
}

/** CPU seconds this process has spent since `from` (user + system, all threads). */
function cpuSecondsSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

function keyedCount(): Topology {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in', Consumed.with(str, str))
    .groupByKey()
    .count(Materialized.as<string, number>(Stores.persistentKeyValueStore('counts')).withValueSerde(long))
    .toStream()
    .to('out', Produced.with(str, long));
  return builder.build();
}

function sessionCount(): Topology {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in', Consumed.with(str, str))
    .groupByKey(Grouped.with(str, str))
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(60_000))
    .count(Materialized.as<string, number>(Stores.persistentSessionStore('sessions', 3_600_000)).withValueSerde(long))
    .toStream()
    .foreach(() => {});
  return builder.build();
}

/**
 * Input record `i` of a phase: which key, at which time, on which partition — always the same
 * partition for one key, as a producer's partitioner does, so a key's records meet in one task.
 */
type Shape = (i: number) => { key: string; timestamp: number; partition: number };

const smallCount: Shape = (i) => ({ key: `key-${i % 10_000}`, timestamp: 1_000 + i, partition: (i % 10_000) % PARTITIONS });
const smallSession: Shape = (i) => ({ key: `key-${i % 1_000}`, timestamp: 1_000 + i, partition: (i % 1_000) % PARTITIONS });
/** `keyIndexMaxKeys`: the phase's `statestore.key.index.max.keys` (undefined = not set). */
const PHASES: { [name: string]: { topology: () => Topology; records: number; shape: Shape; deadline: boolean; keyIndexMaxKeys: number | undefined } } = {
  'small-count': { topology: keyedCount, records: SMALL_RECORDS, shape: smallCount, deadline: false, keyIndexMaxKeys: 1_000_000 },
  'small-count-disk': { topology: keyedCount, records: SMALL_RECORDS, shape: smallCount, deadline: false, keyIndexMaxKeys: 0 },
  'small-session': { topology: sessionCount, records: SMALL_RECORDS, shape: smallSession, deadline: false, keyIndexMaxKeys: 1_000_000 },
  'small-session-disk': { topology: sessionCount, records: SMALL_RECORDS, shape: smallSession, deadline: false, keyIndexMaxKeys: 0 },
  'large-count': { topology: keyedCount, records: KEYS, shape: (i) => ({ key: `key-${i}`, timestamp: 1_000 + i, partition: i % PARTITIONS }), deadline: true, keyIndexMaxKeys: KEY_INDEX_MAX_KEYS },
  // Records 2j and 2j+1 carry key j, 1 ms apart, on one partition: the second merges into the session the first opened.
  'large-session': {
    topology: sessionCount, records: 2 * SESSION_KEYS, shape: (i) => ({ key: `key-${i >> 1}`, timestamp: 1_000 + i, partition: (i >> 1) % PARTITIONS }), deadline: true,
    keyIndexMaxKeys: KEY_INDEX_MAX_KEYS,
  },
};

async function committedTotal(log: LogEngine, group: string): Promise<number> {
  return (await log.fetchOffsets(group)).filter((c) => c.topic === 'in').reduce((sum, c) => sum + c.offset, 0);
}

async function produce(log: LogEngine, shape: Shape, from: number, to: number): Promise<void> {
  const byPartition: Array<Array<{ key: Buffer; value: Buffer; timestamp: number; headers: [] }>> = Array.from({ length: PARTITIONS }, () => []);
  for (let i = from; i < to; i++) {
    const { key, timestamp, partition } = shape(i);
    byPartition[partition]!.push({ key: Buffer.from(key), value: Buffer.from(`v${i}`), timestamp, headers: [] });
  }
  for (let p = 0; p < PARTITIONS; p++) await log.produce('in', byPartition[p]!.map((r) => ({ ...r, partition: p })));
}

/** One phase, in this process (started by the parent with a 512 MB heap). */
async function runPhase(name: string): Promise<PhaseResult> {
  setLogLevel('warn');
  const phase = PHASES[name]!;
  const dir = mkdtempSync(join(tmpdir(), `kstreams-bench-state-${name}-`));
  try {
    const log = await LogEngine.open({ dataDir: join(dir, 'log'), retentionCheckIntervalMs: 0 });
    await log.createTopic('in', { partitions: PARTITIONS });
    await log.createTopic('out', { partitions: PARTITIONS });
    const chunk = 20_000;
    let produced = 0;
    if (!phase.deadline) {
      for (; produced < phase.records; produced += chunk) await produce(log, phase.shape, produced, Math.min(phase.records, produced + chunk));
      produced = phase.records;
    }
    const streams = new KafkaStreams(phase.topology(), {
      'application.id': name, 'state.dir': join(dir, 'state'), 'commit.interval.ms': 1000, 'poll.ms': 5,
      ...(phase.keyIndexMaxKeys === undefined ? {} : { 'statestore.key.index.max.keys': phase.keyIndexMaxKeys }),
    }, { engine: log });
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const curve: PhaseResult['curve'] = [];
    let nextSample = 0;
    let committed = 0;
    const sample = async (force: boolean) => {
      if (!force && elapsed() < nextSample) return;
      nextSample = Math.floor(elapsed() / 10) * 10 + 10;
      (globalThis as { gc?: () => void }).gc?.(); // live heap, not garbage V8 has not collected yet
      const point = { s: Math.round(elapsed()), records: committed, ...memoryNow() };
      curve.push(point);
      if (phase.deadline) {
        console.error(`  ${name}: ${point.s} s, ${fmt(committed)} committed, heap ${point.heap_mb} MB (V8 holds ${point.heap_total_mb}), ` +
          `external ${point.external_mb} MB, LevelDB ${point.leveldb_mb} MB, RSS ${point.rss_mb} MB`);
      }
    };
    const cpuAtStart = process.cpuUsage();
    await streams.start();
    while (committed < produced || (phase.deadline && produced < phase.records && elapsed() < SECONDS)) {
      // Keep the input at most ~200k records ahead of what was committed.
      if (phase.deadline && produced < phase.records && elapsed() < SECONDS && produced - committed < 200_000) {
        const to = Math.min(phase.records, produced + chunk);
        await produce(log, phase.shape, produced, to);
        produced = to;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      committed = await committedTotal(log, name);
      await sample(false);
    }
    const seconds = elapsed();
    const cpuSeconds = cpuSecondsSince(cpuAtStart);
    await sample(true);
    await streams.close();
    await log.close();
    return { phase: name, records: committed, records_s: committed / seconds, records_cpu_s: committed / cpuSeconds, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), curve };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The store alone: a count's get + put per distinct key, flushed every 10,000 keys, until `--seconds`. */
async function runStoreCount(): Promise<PhaseResult> {
  setLogLevel('warn');
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-bench-state-store-'));
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const store = new LevelDbKeyValueStore('counts');
    const context = {
      applicationId: 'bench', taskId: '0_0', partition: 0, stateDir: dir, appConfigs: {}, cache: undefined,
      changelogSinkFor: () => undefined, register: () => {}, recordTimestamp: () => 0,
    };
    await store.init(context, store);
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const elapsed = () => (performance.now() - started) / 1000;
    const curve: PhaseResult['curve'] = [];
    let done = 0;
    const one = long.serialize('c', 1)!;
    const sampleNow = () => {
      gc?.();
      curve.push({ s: Math.round(elapsed()), records: done, ...memoryNow() });
      console.error(`  store-count: ${curve.at(-1)!.s} s, ${fmt(done)} keys, heap after GC ${curve.at(-1)!.heap_mb} MB, RSS ${curve.at(-1)!.rss_mb} MB`);
    };
    while (done < KEYS && elapsed() < SECONDS) {
      const keys = Array.from({ length: Math.min(10_000, KEYS - done) }, (_, i) => Buffer.from(`key-${done + i}`));
      await store.prefetch(keys);
      for (const key of keys) {
        const count = store.get(key);
        store.put(key, count === null ? one : long.serialize('c', long.deserialize('c', count)! + 1)!);
      }
      await store.flush();
      done += keys.length;
      if (done % 1_000_000 === 0) sampleNow();
    }
    if (curve.at(-1)?.records !== done) sampleNow();
    const seconds = elapsed();
    const cpuSeconds = cpuSecondsSince(cpuAtStart);
    await store.close();
    return { phase: 'store-count', records: done, records_s: done / seconds, records_cpu_s: done / cpuSeconds, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), curve };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a phase in a child process with a 512 MB heap and returns its JSON result. */
function spawnPhase(name: string): Promise<PhaseResult> {
  const self = fileURLToPath(import.meta.url);
  const argv = [`--max-old-space-size=${HEAP_MB}`, '--expose-gc', '--conditions=kstreams-source', '--import', 'tsx', self, '--phase', name,
    '--keys', String(KEYS), '--session-keys', String(SESSION_KEYS), '--seconds', String(SECONDS),
    ...(KEY_INDEX_MAX_KEYS === undefined ? [] : ['--key-index-max-keys', String(KEY_INDEX_MAX_KEYS)])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`phase ${name} exited with code ${code} (out of memory at ${HEAP_MB} MB?)`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as PhaseResult);
    });
  });
}

if (args.phase !== undefined) {
  if (PHASES[args.phase] === undefined && args.phase !== 'store-count') {
    console.error(`bench/state-larger-than-memory: unknown --phase '${args.phase}'; one of ${Object.keys(PHASES).join(', ')}`);
    process.exit(2);
  }
  console.log(JSON.stringify(args.phase === 'store-count' ? await runStoreCount() : await runPhase(args.phase)));
} else {
  console.log(`${PARTITIONS} partitions, persistent stores, each phase in its own process with --max-old-space-size=${HEAP_MB}`);
  const results: { [name: string]: PhaseResult } = {};
  const names = args.phases === undefined ? [...Object.keys(PHASES), 'store-count'] : args.phases.split(',');
  for (const name of names) {
    const result = await spawnPhase(name);
    results[name] = result;
    const complete = result.records >= (PHASES[name]?.records ?? KEYS) ? 'complete' : `stopped after ${SECONDS} s of input`;
    console.log(`${name}: ${fmt(result.records)} records (${complete}), ${fmt(result.records_s)} records/s, ${fmt(result.records_cpu_s)} records/CPU-s, peak RSS ${result.max_rss_mb} MB, ` +
      `last heap ${result.curve.at(-1)!.heap_mb} MB`);
  }
  const ratio = (large: string, small: string) => (results[large] === undefined || results[small] === undefined ? null : Number((results[large].records_s / results[small].records_s).toFixed(3)));
  console.log(`small state, keys on disk / keys in heap rate: keyed count ${ratio('small-count-disk', 'small-count')}, session count ${ratio('small-session-disk', 'small-session')}`);
  console.log(`large/small (keys in heap) rate: keyed count ${ratio('large-count', 'small-count')}, session count ${ratio('large-session', 'small-session')}`);
  console.log(JSON.stringify({
    bench: 'state-larger-than-memory',
    heap_limit_mb: HEAP_MB,
    small_count_disk_ratio: ratio('small-count-disk', 'small-count'),
    small_session_disk_ratio: ratio('small-session-disk', 'small-session'),
    large_count_ratio: ratio('large-count', 'small-count'),
    large_session_ratio: ratio('large-session', 'small-session'),
    ...Object.fromEntries(Object.values(results).flatMap((r) => [
      [`${r.phase.replaceAll('-', '_')}_records`, r.records],
      [`${r.phase.replaceAll('-', '_')}_records_s`, Math.round(r.records_s)],
      [`${r.phase.replaceAll('-', '_')}_records_cpu_s`, Math.round(r.records_cpu_s)],
      [`${r.phase.replaceAll('-', '_')}_max_rss_mb`, r.max_rss_mb],
      [`${r.phase.replaceAll('-', '_')}_max_heap_mb`, Math.max(...r.curve.map((c) => c.heap_mb))],
    ])),
    large_count_curve: results['large-count']?.curve,
    large_session_curve: results['large-session']?.curve,
    store_count_curve: results['store-count']?.curve,
  }));
}
