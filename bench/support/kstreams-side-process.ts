/**
 * kstreams' side of bench/vs-kafka-streams.ts, run in a process of its own for each workload as
 * the Java side runs in a JVM of its own: the measured process holds only that workload's records
 * and has compiled only that workload's code. (Run in the bench's process, after the other
 * workloads and beside all their inputs, a sliding count did under half the work per CPU-second.)
 *
 *   driver <workload> <scale>                                   warm-up, then three runs in the test driver
 *   kafka  <workload> <scale> <bootstrap> <application id> <state dir>   one run on Kafka
 *
 * The last line printed is `{"runs":[Measurement, …]}`.
 */
import { fileURLToPath } from 'node:url';
import { Serdes, setLogLevel } from 'kstreams';
import type { Serde } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';
import { KafkaCluster } from '../../src/client/index.ts';
import { KAFKA_PARTITIONS, cpuSeconds, kstreamsOnKafka } from './kafka-runs.ts';
import type { Measurement } from './kafka-runs.ts';
import { runsInOwnProcess } from './own-process.ts';
import { OUTPUT, workloads } from './vs-kafka-streams-workloads.ts';
import type { BenchRecord, Workload } from './vs-kafka-streams-workloads.ts';

const RUNS = 3;
const strings = Serdes.String();

/** Spawns this file with `args` under the same loader flags as the bench; resolves with its runs. */
export function measureInOwnProcess(args: readonly string[]): Promise<Measurement[]> {
  return runsInOwnProcess(new URL(import.meta.url), args).then((result) => result.runs);
}

async function runDriver(workload: Workload, records: readonly BenchRecord[]): Promise<number> {
  const driver = new TopologyTestDriver(workload.topology(), { 'application.id': 'bench', 'statestore.cache.max.bytes': 0 });
  const inputs = new Map<string, ReturnType<typeof driver.createInputTopic<string, string>>>();
  for (const record of records) {
    let input = inputs.get(record.topic);
    if (input === undefined) inputs.set(record.topic, (input = driver.createInputTopic(record.topic, strings, strings)));
    await input.pipeInput(record.key, record.value, record.timestamp);
  }
  const outputs = driver.createOutputTopic(OUTPUT, strings, workload.outputSerde as Serde<unknown>).readKeyValuesToList().length;
  await driver.close();
  return outputs;
}

async function inDriver(workload: Workload): Promise<Measurement[]> {
  await runDriver(workload, workload.records.slice(0, 5_000));
  const runs: Measurement[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const cpu = cpuSeconds();
    const outputs = await runDriver(workload, workload.records);
    runs.push({ seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpu, outputs });
  }
  return runs;
}

/** One run on Kafka; the inputs are already there, produced by the bench. */
async function onKafka(generated: Workload, bootstrap: string, applicationId: string, stateDir: string): Promise<Measurement[]> {
  const topics = [...new Set(generated.records.map((r) => r.topic))];
  const { name, outputSerde, topology } = generated;
  const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: `${applicationId}-watch`, groupId: `${applicationId}-watch` });
  try {
    const ends = new Map<string, number>();
    for (const topic of topics) for (let p = 0; p < KAFKA_PARTITIONS; p++) ends.set(`${topic}-${p}`, (await cluster.offsets(topic, p)).latest);
    // The records stay behind: like the Java side, the measured process reads its inputs from Kafka.
    const withoutRecords: Workload = { name, records: [], outputSerde, topology };
    return [await kstreamsOnKafka(withoutRecords, applicationId, bootstrap, cluster, ends, stateDir)];
  } finally {
    await cluster.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  setLogLevel('warn');
  const [mode, name, scale, ...rest] = process.argv.slice(2);
  const workload = workloads(Number(scale), [name!])[0];
  if (workload === undefined || (mode !== 'driver' && mode !== 'kafka')) {
    console.error(`usage: kstreams-side-process.ts driver|kafka <workload> <scale> [<bootstrap> <application id> <state dir>]`);
    process.exit(2);
  }
  const runs = mode === 'driver' ? await inDriver(workload) : await onKafka(workload, rest[0]!, rest[1]!, rest[2]!);
  console.log(JSON.stringify({ runs }));
}
