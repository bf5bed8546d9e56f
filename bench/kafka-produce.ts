/**
 * The produce path to a Kafka-protocol cluster, per CPU-second of the producing process: what a
 * stream thread's flush does on Kafka — a thousand records to each of two topics (a 4-partition
 * repartition topic of word-count records and a 1-partition output topic of 100-byte values),
 * both topics at once, acks=all, the next flush after the last is acknowledged. Three ways, one
 * after another in the same process and repeated in pairs, so load on the shared machine hits
 * them alike:
 *   - `kstreams batches`: KafkaCluster.produce — kstreams encodes each partition's record batch
 *     (the log engine's encoder) and sends its own Produce requests through the client's connections;
 *   - `client send per topic`: @platformatic/kafka's Producer.send with one message object per
 *     record, one send per topic (how KafkaCluster.produce worked before, the baseline);
 *   - `client send per flush`: the same client with everything it can do better unaided — one
 *     send for both topics of a flush, no empty header maps.
 * The cluster is `kstreams broker` in its own process (its CPU is not counted) or, with `--kafka`,
 * Apache Kafka from the reference kit (needs Java and Maven; slow to start).
 * Usage: `npx tsx bench/kafka-produce.ts [--records N] [--pairs P] [--kafka]`. The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Producer, type MessageToProduce } from '@platformatic/kafka';
import { partitionForKey, setLogLevel } from '../src/index.ts';
import { KafkaCluster, type ClusterRecord } from '../src/client/index.ts';
import { startBrokerProcess } from '../test/support/broker-process.ts';
import { buildReference, missingReferenceTools, startKafka } from '../test/reference/kit.ts';

const { values: args } = parseArgs({ options: { records: { type: 'string' }, pairs: { type: 'string' }, kafka: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/kafka-produce.ts [--records N] [--pairs P] [--kafka]\nRecords per CPU-second of producing through KafkaCluster.produce and through the client\'s send; last line is JSON.');
  process.exit(0);
}
const RECORDS = args.records === undefined ? 200_000 : Number(args.records);
const PAIRS = args.pairs === undefined ? 3 : Number(args.pairs);
if (!Number.isInteger(RECORDS) || RECORDS < 2_000 || !Number.isInteger(PAIRS) || PAIRS < 1) {
  console.error(`bench/kafka-produce: --records must be a whole number >= 2000 and --pairs >= 1, got '${args.records}', '${args.pairs}'`);
  process.exit(2);
}
setLogLevel('warn');
const PER_TOPIC = 1_000;
const REPARTITION = { name: 'words-repartition', partitions: 4 };
const OUTPUT = { name: 'counts-out', partitions: 1 };

/** One flush: word-count records for the repartition topic (partitioned as a sink does) and 100-byte outputs. */
function flushes(): Array<Map<string, ClusterRecord[]>> {
  const all: Array<Map<string, ClusterRecord[]>> = [];
  for (let n = 0; n < RECORDS / (2 * PER_TOPIC); n++) {
    const words: ClusterRecord[] = [];
    const outputs: ClusterRecord[] = [];
    for (let i = 0; i < PER_TOPIC; i++) {
      const key = Buffer.from(`word-${(n * PER_TOPIC + i) % 5_000}`);
      words.push({ key, value: Buffer.from(`line-${i % 97}`), timestamp: 1_700_000_000_000 + i, headers: [], partition: partitionForKey(key, REPARTITION.partitions) });
      outputs.push({ key, value: Buffer.alloc(100, i % 251), timestamp: 1_700_000_000_000 + i, headers: [], partition: 0 });
    }
    all.push(new Map([[REPARTITION.name, words], [OUTPUT.name, outputs]]));
  }
  return all;
}

/** A record as the client's send takes it (KafkaCluster.produce's conversion before it encoded batches itself). */
function message(topic: string, r: ClusterRecord, withEmptyHeaders: boolean): MessageToProduce<Buffer, Buffer, Buffer, Buffer> {
  return {
    topic,
    ...(r.key === null ? {} : { key: r.key }),
    ...(r.value === null ? {} : { value: r.value }),
    ...(r.partition === undefined ? {} : { partition: r.partition }),
    timestamp: BigInt(r.timestamp),
    ...(withEmptyHeaders || r.headers.length > 0 ? { headers: new Map(r.headers.filter((h) => h.value !== null).map((h) => [Buffer.from(h.key), h.value!])) } : {}),
  };
}

type Way = (flush: Map<string, ClusterRecord[]>) => Promise<unknown>;

async function measure(way: Way, data: Array<Map<string, ClusterRecord[]>>): Promise<{ perCpuSecond: number; perSecond: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const flush of data) await way(flush);
  const used = process.cpuUsage(cpu);
  const records = data.length * 2 * PER_TOPIC;
  return { perCpuSecond: records / ((used.user + used.system) / 1e6), perSecond: records / ((performance.now() - start) / 1000) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function onCluster(bootstrap: string): Promise<{ [way: string]: { perCpuSecond: number; perSecond: number } }> {
  const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'bench-produce', groupId: 'bench-produce' });
  // The options KafkaCluster gives its producer.
  const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({ clientId: 'bench-produce-client', bootstrapBrokers: [bootstrap], retries: 5, retryDelay: 200, acks: -1, autocreateTopics: false });
  try {
    await cluster.ensureTopics([{ ...REPARTITION, config: {} }, { ...OUTPUT, config: {} }]);
    const ways: { [name: string]: Way } = {
      'kstreams batches': (flush) => Promise.all([...flush].map(([topic, records]) => cluster.produce(topic, records))),
      'client send per topic': (flush) => Promise.all([...flush].map(([topic, records]) => producer.send({ messages: records.map((r) => message(topic, r, true)) }))),
      'client send per flush': (flush) => producer.send({ messages: [...flush].flatMap(([topic, records]) => records.map((r) => message(topic, r, false))) }),
    };
    const data = flushes();
    // Warm-up: connections, metadata, and the JIT for every way.
    for (const way of Object.values(ways)) await measure(way, data.slice(0, Math.max(1, data.length / 10)));
    const runs: { [name: string]: Array<{ perCpuSecond: number; perSecond: number }> } = {};
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const [name, way] of Object.entries(ways)) {
        const run = await measure(way, data);
        (runs[name] ??= []).push(run);
        console.log(`  pair ${pair + 1}: ${name.padEnd(22)} ${Math.round(run.perCpuSecond).toLocaleString('en-US').padStart(10)} rec/CPU-s ${Math.round(run.perSecond).toLocaleString('en-US').padStart(10)} rec/s  (load ${loadavg()[0]!.toFixed(1)})`);
      }
    }
    return Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, {
      perCpuSecond: Math.round(median(list.map((r) => r.perCpuSecond))), perSecond: Math.round(median(list.map((r) => r.perSecond))),
    }]));
  } finally {
    await producer.close();
    await cluster.close();
  }
}

function report(target: string, figures: { [way: string]: { perCpuSecond: number; perSecond: number } }): void {
  const baseline = figures['client send per topic']!.perCpuSecond;
  console.log(`${target}, median of ${PAIRS}, records per CPU-second of the producing process (ratio to client send per topic):`);
  for (const [name, f] of Object.entries(figures)) {
    console.log(`  ${name.padEnd(22)} ${f.perCpuSecond.toLocaleString('en-US').padStart(10)} rec/CPU-s  ${(f.perCpuSecond / baseline).toFixed(2)}x   ${f.perSecond.toLocaleString('en-US').padStart(10)} rec/s`);
  }
}

/** Measures on a started cluster, reports the figures under `key` and `title`, and stops the cluster. */
async function measureOn(key: string, title: string, cluster: { bootstrap: string; stop(): Promise<unknown> }): Promise<void> {
  try {
    const figures = await onCluster(cluster.bootstrap);
    results[key] = figures;
    report(title, figures);
  } finally {
    await cluster.stop();
  }
}

const root = mkdtempSync(join(tmpdir(), 'kstreams-bench-produce-'));
const results: { [key: string]: unknown } = { bench: 'kafka-produce', records: RECORDS, pairs: PAIRS, loadAverageAtStart: loadavg()[0] };
try {
  if (args.kafka === true) {
    const missing = missingReferenceTools();
    if (missing !== undefined) throw new Error(missing);
    await measureOn('apache-kafka', 'Apache Kafka', await startKafka(buildReference((line) => console.log(line))));
  } else {
    await measureOn('kstreams-broker', 'kstreams broker', await startBrokerProcess(join(root, 'broker'), 1));
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
results['loadAverageAtEnd'] = loadavg()[0];
console.log(JSON.stringify(results));
