/**
 * kstreams next to @kafkats/flow, the other Kafka Streams-style DSL for TypeScript on npm, in their
 * test drivers, on the workloads of bench/support/vs-kafka-streams-workloads.ts that @kafkats/flow can
 * express with the same operators: stateless (filter + mapValues), word count (flatMapValues →
 * groupBy → count) and the tumbling windowed count. Same input records, same process, median of
 * three runs after a warm-up; @kafkats/flow is the baseline of every ratio.
 *
 * The two drivers do not do the same work per record, which the figures include: kstreams'
 * TopologyTestDriver runs the task as the runtime does (caching off, a commit after every record,
 * word count through its repartition topic), @kafkats/flow's TestDriver hands each record to the
 * app through an in-memory consumer. Output counts are printed, not required to agree.
 *
 * Usage: `npx tsx --conditions=kstreams-source bench/vs-kafkats-flow.ts [--scale F]` (scale 1: the
 * record counts of bench/vs-kafka-streams.ts). The last line is one JSON object.
 */
import { parseArgs } from 'node:util';
import { TimeWindows as FlowTimeWindows, codec } from '@kafkats/flow';
import type { Codec } from '@kafkats/flow';
import { TestDriver } from '@kafkats/flow/testing';
import { Serdes, setLogLevel } from 'kstreams';
import type { Serde } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';
import { OUTPUT, workloads } from './support/vs-kafka-streams-workloads.ts';
import type { BenchRecord, Workload } from './support/vs-kafka-streams-workloads.ts';

const { values: args } = parseArgs({ options: { scale: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx --conditions=kstreams-source bench/vs-kafkats-flow.ts [--scale F]\nkstreams against @kafkats/flow in their test drivers; last line is JSON.');
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/vs-kafkats-flow: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}
setLogLevel('warn');

const RUNS = 3;
const strings = Serdes.String();
/** Kafka's 8-byte big-endian long, as Serdes.Long() writes it (@kafkats/flow has no such codec). */
const longCodec: Codec<number> = {
  encode: (value) => {
    const buffer = Buffer.allocUnsafe(8);
    buffer.writeBigInt64BE(BigInt(value));
    return buffer;
  },
  decode: (buffer) => Number(buffer.readBigInt64BE(0)),
};

interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly outputs: number;
}

type Driven = (records: readonly BenchRecord[]) => Promise<number>;

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function kstreams(workload: Workload): Driven {
  return async (records) => {
    const driver = new TopologyTestDriver(workload.topology(), { 'application.id': 'bench', 'statestore.cache.max.bytes': 0 });
    const input = driver.createInputTopic(records[0]!.topic, strings, strings);
    for (const record of records) await input.pipeInput(record.key, record.value, record.timestamp);
    const outputs = driver.createOutputTopic(OUTPUT, strings, workload.outputSerde as Serde<unknown>).readKeyValuesToList().length;
    await driver.close();
    return outputs;
  };
}

/** The same topology in @kafkats/flow's DSL. */
function kafkatsFlow(workload: Workload): Driven {
  return async (records) => {
    const driver = new TestDriver();
    const input = driver.input(records[0]!.topic, { key: codec.string(), value: codec.string() });
    if (workload.name === 'stateless') {
      input.filter((_key, value) => value!.charCodeAt(value!.length - 1) % 2 === 0).mapValues((value) => value!.toUpperCase())
        .to(OUTPUT, { key: codec.string(), value: codec.string() });
    } else if (workload.name === 'wordcount') {
      input.flatMapValues((line) => line!.split(' ')).groupBy((_key, word) => word!, { key: codec.string(), value: codec.string() })
        .count({ key: codec.string(), value: longCodec }).toStream().to(OUTPUT, { key: codec.string(), value: longCodec });
    } else {
      input.groupByKey().windowedBy(FlowTimeWindows.of(60_000)).count().toStream()
        .map((windowed, count) => [`${windowed!.key}@${windowed!.window.start}` as string, count] as const)
        .to(OUTPUT, { key: codec.string(), value: longCodec });
    }
    const context = await driver.start();
    for (const record of records) {
      await context.send(record.topic, record.value, { keyValue: record.key, keyCodec: codec.string() as Codec<unknown>, codec: codec.string(), timestamp: BigInt(record.timestamp) });
    }
    const outputs = context.output(OUTPUT).length;
    await driver.stop();
    return outputs;
  };
}

async function measure(drive: Driven, records: readonly BenchRecord[]): Promise<Run[]> {
  await drive(records.slice(0, 5_000));
  const runs: Run[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const cpu = cpuSeconds();
    const outputs = await drive(records);
    runs.push({ seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpu, outputs });
  }
  return runs.sort((a, b) => a.seconds - b.seconds);
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US');
const figures: Record<string, number> = {};
console.log(`In the test drivers (median of ${RUNS} runs after a warm-up [slowest–fastest]); baseline @kafkats/flow:`);
for (const workload of workloads(scale, ['stateless', 'wordcount', 'tumbling'])) {
  const n = workload.records.length;
  const ours = await measure(kstreams(workload), workload.records);
  const theirs = await measure(kafkatsFlow(workload), workload.records);
  const [a, b] = [ours[1]!, theirs[1]!];
  const ratio = b.seconds / a.seconds;
  const perCore = b.cpuSeconds / a.cpuSeconds;
  console.log(
    `  ${workload.name} (${format(n)} records): kstreams ${format(n / a.seconds)} records/s [${format(n / ours[2]!.seconds)}–${format(n / ours[0]!.seconds)}] ` +
      `(${format(n / a.cpuSeconds)} per CPU-s, ${a.outputs} outputs), @kafkats/flow ${format(n / b.seconds)} records/s [${format(n / theirs[2]!.seconds)}–${format(n / theirs[0]!.seconds)}] ` +
      `(${format(n / b.cpuSeconds)} per CPU-s, ${b.outputs} outputs); ratio ${ratio.toFixed(2)}, per core ${perCore.toFixed(2)}`,
  );
  figures[`${workload.name}_records_s`] = Math.round(n / a.seconds);
  figures[`${workload.name}_baseline_records_s`] = Math.round(n / b.seconds);
  figures[`${workload.name}_ratio`] = Number(ratio.toFixed(3));
  figures[`${workload.name}_per_core_ratio`] = Number(perCore.toFixed(3));
}
console.log(JSON.stringify({ bench: 'vs-kafkats-flow', scale, ...figures }));
