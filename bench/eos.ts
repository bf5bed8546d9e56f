/**
 * exactly_once_v2 against at_least_once in the same run, each at its default commit interval
 * (30 s and 100 ms), for a pass-through and a keyed count (LevelDB store and changelog, no
 * cache, so every input gives one update), on the embedded engine and — when Java and Maven are
 * installed — on Apache Kafka from the reference kit.
 *
 * A rate runs from start() until a reader at the guarantee's isolation level sees every update:
 * at-least-once output is visible once sent (read_uncommitted), exactly-once output once its
 * transaction commits (read_committed; the input offsets commit in that same transaction). Also
 * measured on the embedded engine: how long an exactly-once restart takes to restore the keyed
 * count's store after an unclean stop (no checkpoint: the whole changelog) and after a clean one
 * (a checkpoint: nothing to restore). Target: EOS >= 0.7 of ALOS.
 * Usage: `npx tsx bench/eos.ts [--records N] [--embedded-only]`. The last line is one JSON object.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Consumed, KafkaStreams, LogEngine, Materialized, Produced, Serdes, Stores, StreamsBuilder, setLogLevel } from '../src/index.ts';
import type { Topology } from '../src/index.ts';
import { EmbeddedCluster, KafkaCluster } from '../src/client/index.ts';
import type { Cluster } from '../src/client/index.ts';
import { buildReference, missingReferenceTools, startKafka } from '../test/reference/kit.ts';

const { values: args } = parseArgs({ options: { records: { type: 'string' }, 'embedded-only': { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/eos.ts [--records N] [--embedded-only]\nexactly_once_v2 vs at_least_once throughput and EOS restore cost; last line is JSON.');
  process.exit(0);
}
const RECORDS = Number(args.records ?? 100_000);
if (!Number.isInteger(RECORDS) || RECORDS <= 0) {
  console.error(`bench/eos: --records must be a positive whole number, got '${args.records}'`);
  process.exit(2);
}
setLogLevel('error');

type Guarantee = 'at_least_once' | 'exactly_once_v2';
const PARTITIONS = 4;
const KEYS = 10_000;
const str = Serdes.String();
const long = Serdes.Long();
const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-eos-'));
let runs = 0;

function passThrough(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder.stream(input, Consumed.with(Serdes.Bytes(), Serdes.Bytes())).to(output, Produced.with(Serdes.Bytes(), Serdes.Bytes()));
  return builder.build();
}

function keyedCount(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder.stream<string, string>(input, Consumed.with(str, str)).groupByKey()
    .count(Materialized.as<string, number>(Stores.persistentKeyValueStore('counts')).withValueSerde(long))
    .toStream().to(output, Produced.with(str, long));
  return builder.build();
}

type TopologyOf = (input: string, output: string) => Topology;

/** Where runs happen (one engine or broker serves them all, each run on topics of its own). */
interface Target {
  readonly name: string;
  readonly cluster: Cluster;
  readonly streamsConfig: { [key: string]: unknown };
  readonly options: { engine?: LogEngine };
}

async function fill(cluster: Cluster, topic: string): Promise<void> {
  // Current timestamps: a broker's time retention (Kafka: 7 days) must not delete the records under the run.
  const now = Date.now();
  for (let i = 0; i < RECORDS; i += 2000) {
    await cluster.produce(topic, Array.from({ length: Math.min(2000, RECORDS - i) }, (_, j) => ({
      key: Buffer.from(`key-${(i + j) % KEYS}`), value: Buffer.from(`value-${i + j}`), timestamp: now + i + j, headers: [],
    })));
  }
}

/**
 * Updates a reader at the guarantee's isolation level sees: under EOS the committed input offsets
 * (they commit in the transactions of the outputs), else the output's end (no markers in it).
 */
async function visible(target: Target, guarantee: Guarantee, appId: string, output: string): Promise<number> {
  if (guarantee === 'exactly_once_v2') return (await target.cluster.committedOffsets(appId)).reduce((sum, c) => sum + c.offset, 0);
  let total = 0;
  for (let p = 0; p < PARTITIONS; p++) total += (await target.cluster.offsets(output, p)).latest;
  return total;
}

interface Run {
  readonly appId: string;
  readonly stateDir: string;
  readonly input: string;
  readonly output: string;
  readonly perSecond: number;
}

/** Records per second from start() until every update is visible. */
async function measure(target: Target, topology: TopologyOf, label: string, guarantee: Guarantee): Promise<Run> {
  const run = runs++;
  const appId = `${label}-${guarantee}-${run}`;
  const [input, output, stateDir] = [`in-${run}`, `out-${run}`, join(root, `state-${run}`)];
  await target.cluster.ensureTopics([{ name: input, partitions: PARTITIONS, config: {} }, { name: output, partitions: PARTITIONS, config: {} }]);
  await fill(target.cluster, input);
  const streams = new KafkaStreams(topology(input, output), configOf(target, appId, stateDir, guarantee), target.options);
  const started = performance.now();
  await streams.start();
  // A fresh topic's leader may not be known yet (NOT_LEADER_OR_FOLLOWER): such a check just counts as not yet.
  while ((await visible(target, guarantee, appId, output).catch(() => 0)) < RECORDS) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  await streams.close();
  return { appId, stateDir, input, output, perSecond: RECORDS / seconds };
}

function configOf(target: Target, appId: string, stateDir: string, guarantee: Guarantee): { [key: string]: unknown } {
  return { ...target.streamsConfig, 'application.id': appId, 'state.dir': stateDir, 'processing.guarantee': guarantee, 'statestore.cache.max.bytes': 0, 'poll.ms': 5 };
}

/** Milliseconds from start() to RUNNING of an EOS keyed count run again on its state: restoring is most of it. */
async function restartMs(target: Target, run: Run, crashed: boolean): Promise<number> {
  if (crashed) {
    // What an unclean stop under exactly-once leaves: no checkpoint (it is deleted while tasks run).
    const appDir = join(run.stateDir, run.appId);
    for (const task of readdirSync(appDir, { withFileTypes: true }).filter((e) => e.isDirectory())) rmSync(join(appDir, task.name, '.checkpoint'), { force: true });
  }
  const streams = new KafkaStreams(keyedCount(run.input, run.output), configOf(target, run.appId, run.stateDir, 'exactly_once_v2'), target.options);
  const started = performance.now();
  await streams.start();
  const ms = performance.now() - started;
  await streams.close();
  return ms;
}

const fixed = (n: number) => Math.round(n);
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function onTarget(target: Target, withRestore: boolean): Promise<{ [key: string]: number }> {
  const figures: { [key: string]: number } = {};
  // First runs warm the JIT and the target up (on Kafka, the first transactional producer waits
  // for the transaction log to be created), so neither guarantee pays for it.
  await measure(target, passThrough, 'warm-up', 'at_least_once');
  await measure(target, passThrough, 'warm-up', 'exactly_once_v2');
  for (const [label, topology] of [['pass-through', passThrough], ['keyed-count', keyedCount]] as const) {
    const alos = await measure(target, topology, label, 'at_least_once');
    const eos = await measure(target, topology, label, 'exactly_once_v2');
    figures[`${label}-alos-per-s`] = fixed(alos.perSecond);
    figures[`${label}-eos-per-s`] = fixed(eos.perSecond);
    figures[`${label}-eos-vs-alos`] = ratio(eos.perSecond, alos.perSecond);
    console.log(`${target.name} ${label}: at_least_once ${fixed(alos.perSecond)}/s, exactly_once_v2 ${fixed(eos.perSecond)}/s (${ratio(eos.perSecond, alos.perSecond)} of at_least_once)`);
    if (withRestore && label === 'keyed-count') {
      const clean = await restartMs(target, eos, false);
      const crashed = await restartMs(target, eos, true);
      figures['eos-restart-after-clean-stop-ms'] = fixed(clean);
      figures['eos-restart-after-crash-ms'] = fixed(crashed);
      console.log(`${target.name} keyed-count restart under exactly_once_v2: ${fixed(clean)} ms after a clean stop (checkpoint), ` +
        `${fixed(crashed)} ms after a crash (${RECORDS} changelog records restored: ${fixed(RECORDS / (crashed / 1000))}/s)`);
    }
  }
  return figures;
}

const results: { [key: string]: unknown } = { bench: 'eos', records: RECORDS, partitions: PARTITIONS };
try {
  const engine = await LogEngine.open({ dataDir: join(root, 'log'), retentionCheckIntervalMs: 0 });
  results['embedded'] = await onTarget({ name: 'embedded', cluster: EmbeddedCluster.of(engine), streamsConfig: {}, options: { engine } }, true);
  await engine.close();
  const missing = args['embedded-only'] === true ? 'skipped (--embedded-only)' : missingReferenceTools();
  if (missing === undefined) {
    const kafka = await startKafka(buildReference((line) => console.log(line)));
    const cluster = await KafkaCluster.connect({ bootstrapServers: [kafka.bootstrap], clientId: 'bench-eos', groupId: 'bench-eos-reader' });
    try {
      results['apache-kafka'] = await onTarget({ name: 'apache-kafka', cluster, streamsConfig: { 'bootstrap.servers': kafka.bootstrap }, options: {} }, false);
    } finally {
      await cluster.close();
      await kafka.stop();
    }
  } else {
    console.log(`apache-kafka: ${missing}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(JSON.stringify(results));
