/**
 * DSL throughput in the TopologyTestDriver against a hand-written loop doing the same work with
 * the same serdes, measured in the same run.
 *
 * Workloads: a stateless filter + mapValues chain, word count (flatMapValues → groupBy → count),
 * and a keyed sum over 1000 keys (groupByKey → aggregate). Both sides serialize every input record
 * (as a producer would), deserialize it (as a consumer would), compute, serialize every output and
 * deserialize it again when the results are read, so the ratio measures what the framework adds:
 * the processor graph, the store and its layers, the repartition topic, the driver's bookkeeping.
 * Caching is off (`statestore.cache.max.bytes: 0`) so both sides emit one output per update.
 *
 * Each side's figure is the best of three runs, so a busy neighbour skews the ratio less; the ratio
 * of CPU seconds (best of three too) is printed beside it, steadier on a shared machine.
 *
 * Target: every ratio at least 0.5. Usage: `npx tsx --conditions=kstreams-source bench/dsl.ts
 * [--scale F]` (F multiplies the record counts; default 1; the condition makes `kstreams` the
 * sources, not a built dist/). The last line is one JSON object with the figures.
 */
import { parseArgs } from 'node:util';
import { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Serde, Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';
import { cpuSeconds } from './support/cpu-seconds.ts';

const { values: args } = parseArgs({ options: { scale: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx --conditions=kstreams-source bench/dsl.ts [--scale F]\nMeasures DSL throughput in the test driver against a hand-written loop; last line is JSON.');
  process.exit(0);
}
const scale = args.scale === undefined ? 1 : Number(args.scale);
if (!(scale > 0)) {
  console.error(`bench/dsl: --scale must be a positive number, got '${args.scale}'`);
  process.exit(2);
}

const strings = Serdes.String();
const longs = Serdes.Long();
const CONFIG = { 'application.id': 'bench-dsl', 'statestore.cache.max.bytes': 0 };
const WORDS = 'all streams lead to kafka hello join summit table window state store topic partition offset record'.split(' ');

interface Workload<V> {
  name: string;
  inputs: Array<[string, V]>;
  valueSerde: Serde<V>;
  outputValueSerde: Serde<string> | Serde<number>;
  topology(): Topology;
  /** The same computation without the framework; returns the serialized outputs. */
  handLoop(input: Array<[Buffer, Buffer]>): Array<[Buffer, Buffer]>;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function statelessWorkload(count: number): Workload<string> {
  const random = seeded(1);
  const inputs: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) inputs.push([`k${i % 1000}`, `event-${Math.floor(random() * 1e6)}`]);
  const keep = (value: string): boolean => value.charCodeAt(value.length - 1) % 2 === 0;
  const shout = (value: string): string => value.toUpperCase();
  return {
    name: 'stateless',
    inputs,
    valueSerde: strings,
    outputValueSerde: strings,
    topology() {
      const builder = new StreamsBuilder();
      builder
        .stream('in', Consumed.with(strings, strings))
        .filter((_key, value) => keep(value))
        .mapValues((value) => shout(value))
        .to('out', Produced.with(strings, strings));
      return builder.build();
    },
    handLoop(input) {
      const out: Array<[Buffer, Buffer]> = [];
      for (const [keyBytes, valueBytes] of input) {
        const key = strings.deserialize('in', keyBytes);
        const value = strings.deserialize('in', valueBytes)!;
        if (!keep(value)) continue;
        out.push([strings.serialize('out', key)!, strings.serialize('out', shout(value))!]);
      }
      return out;
    },
  };
}

function wordCountWorkload(lines: number): Workload<string> {
  const random = seeded(2);
  const inputs: Array<[string, string]> = [];
  for (let i = 0; i < lines; i++) {
    const words: string[] = [];
    for (let w = 0; w < 6; w++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
    inputs.push([`line-${i}`, words.join(' ')]);
  }
  const split = (line: string): string[] => line.toLowerCase().split(/\W+/);
  return {
    name: 'word_count',
    inputs,
    valueSerde: strings,
    outputValueSerde: longs,
    topology() {
      const builder = new StreamsBuilder();
      builder
        .stream('in', Consumed.with(strings, strings))
        .flatMapValues((line) => split(line))
        .groupBy((_key, word) => word, Grouped.with(strings, strings))
        .count(Materialized.as('counts'))
        .toStream()
        .to('out', Produced.with(strings, longs));
      return builder.build();
    },
    handLoop(input) {
      const counts = new Map<string, number>();
      const out: Array<[Buffer, Buffer]> = [];
      for (const [, valueBytes] of input) {
        for (const word of split(strings.deserialize('in', valueBytes)!)) {
          const count = (counts.get(word) ?? 0) + 1;
          counts.set(word, count);
          out.push([strings.serialize('out', word)!, longs.serialize('out', count)!]);
        }
      }
      return out;
    },
  };
}

function keyedSumWorkload(count: number): Workload<number> {
  const random = seeded(3);
  const inputs: Array<[string, number]> = [];
  for (let i = 0; i < count; i++) inputs.push([`key-${Math.floor(random() * 1000)}`, Math.floor(random() * 100)]);
  return {
    name: 'keyed_sum',
    inputs,
    valueSerde: longs,
    outputValueSerde: longs,
    topology() {
      const builder = new StreamsBuilder();
      builder
        .stream('in', Consumed.with(strings, longs))
        .groupByKey()
        .aggregate(() => 0, (_key, value, total) => total + value, Materialized.with(strings, longs))
        .toStream()
        .to('out', Produced.with(strings, longs));
      return builder.build();
    },
    handLoop(input) {
      const totals = new Map<string, number>();
      const out: Array<[Buffer, Buffer]> = [];
      for (const [keyBytes, valueBytes] of input) {
        const key = strings.deserialize('in', keyBytes)!;
        const total = (totals.get(key) ?? 0) + longs.deserialize('in', valueBytes)!;
        totals.set(key, total);
        out.push([strings.serialize('out', key)!, longs.serialize('out', total)!]);
      }
      return out;
    },
  };
}

/** Wall-clock and CPU seconds of one run (CPU: user + system of the whole process, GC threads included). */
interface Run {
  seconds: number;
  cpuSeconds: number;
  outputs: number;
}

async function runFramework<V>(workload: Workload<V>): Promise<Run> {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  const driver = new TopologyTestDriver(workload.topology(), CONFIG);
  const input = driver.createInputTopic('in', strings, workload.valueSerde);
  const output = driver.createOutputTopic('out', strings, workload.outputValueSerde as Serde<unknown>);
  await input.pipeKeyValueList(workload.inputs.map(([key, value]) => ({ key, value })));
  const outputs = output.readKeyValuesToList().length;
  await driver.close();
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpuStarted, outputs };
}

function runHandLoop<V>(workload: Workload<V>): Run {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  const serialized: Array<[Buffer, Buffer]> = workload.inputs.map(([key, value]) => [
    strings.serialize('in', key)!,
    workload.valueSerde.serialize('in', value)!,
  ]);
  const out = workload.handLoop(serialized);
  const outputSerde = workload.outputValueSerde as Serde<unknown>;
  let outputs = 0;
  for (const [key, value] of out) {
    strings.deserialize('out', key);
    outputSerde.deserialize('out', value);
    outputs++;
  }
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpuStarted, outputs };
}

const figures: Record<string, number> = {};
let minRatio = Infinity;

async function measure<V>(workload: Workload<V>): Promise<void> {
  // A short warm-up on a slice of the input lets both sides reach optimized code first.
  const warm = { ...workload, inputs: workload.inputs.slice(0, Math.min(5_000, workload.inputs.length)) };
  await runFramework(warm);
  runHandLoop(warm);

  console.log(`${workload.name}: ${workload.inputs.length.toLocaleString('en-US')} input records`);
  let framework = await runFramework(workload);
  let hand = runHandLoop(workload);
  let frameworkCpu = framework.cpuSeconds;
  let handCpu = hand.cpuSeconds;
  for (let attempt = 1; attempt < 3; attempt++) {
    const f = await runFramework(workload);
    if (f.seconds < framework.seconds) framework = f;
    frameworkCpu = Math.min(frameworkCpu, f.cpuSeconds);
    const h = runHandLoop(workload);
    if (h.seconds < hand.seconds) hand = h;
    handCpu = Math.min(handCpu, h.cpuSeconds);
  }
  if (framework.outputs !== hand.outputs) {
    throw new Error(`${workload.name}: the topology produced ${framework.outputs} records but the hand loop ${hand.outputs}`);
  }
  const frameworkRate = workload.inputs.length / framework.seconds;
  const handRate = workload.inputs.length / hand.seconds;
  const ratio = frameworkRate / handRate;
  // Per CPU-second: on a shared machine what each side gets of the CPU swings, what it uses less so.
  const cpuRatio = handCpu / frameworkCpu;
  minRatio = Math.min(minRatio, ratio);
  console.log(
    `  topology ${Math.round(frameworkRate).toLocaleString('en-US')} records/s, ` +
      `hand loop ${Math.round(handRate).toLocaleString('en-US')} records/s, ratio ${ratio.toFixed(2)} (target >= 0.5)`,
  );
  console.log(
    `  per CPU-second: topology ${Math.round(workload.inputs.length / frameworkCpu).toLocaleString('en-US')}, ` +
      `hand loop ${Math.round(workload.inputs.length / handCpu).toLocaleString('en-US')}, ratio ${cpuRatio.toFixed(2)}`,
  );
  figures[`${workload.name}_cpu_ratio`] = Number(cpuRatio.toFixed(3));
  figures[`${workload.name}_records_s`] = Math.round(frameworkRate);
  figures[`${workload.name}_baseline_records_s`] = Math.round(handRate);
  figures[`${workload.name}_ratio`] = Number(ratio.toFixed(3));
}

await measure(statelessWorkload(Math.round(200_000 * scale)));
await measure(wordCountWorkload(Math.round(40_000 * scale)));
await measure(keyedSumWorkload(Math.round(200_000 * scale)));
console.log(JSON.stringify({ bench: 'dsl', ...figures, min_ratio: Number(minRatio.toFixed(3)) }));
