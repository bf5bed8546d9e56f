import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  BufferConfig, Consumed, JoinWindows, KafkaStreams, LogEngine, Materialized, Serdes, StreamsBuilder, Suppressed, TimeWindows, WindowedSerdes,
} from '../../src/index.ts';
import type { Serde, Topology } from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const str = Serdes.String();
const PARTITIONS = 4;

/** An input record: topic, key, value, timestamp. */
type Input = readonly [string, string, string, number];

interface Case {
  readonly topology: () => Topology;
  readonly inputTopics: readonly string[];
  readonly outputKeySerde: Serde<unknown>;
  readonly outputValueSerde: Serde<unknown>;
  readonly inputs: readonly Input[];
  /** Partition counts of input topics other than the default 4. */
  readonly partitions?: { readonly [topic: string]: number };
}

const CONFIG = {
  'statestore.cache.max.bytes': 0,
  'default.key.serde': str,
  'default.value.serde': str,
  'emit.interval.ms.kstreams.windowed.aggregation': 0,
  'emit.interval.ms.kstreams.outer.join.spurious.results.fix': 0,
};

/** Final value per output key (latest record wins), from the driver, and every output record. */
async function inDriver(c: Case): Promise<{ latest: Map<string, string>; all: string[] }> {
  const driver = new TopologyTestDriver(c.topology(), { 'application.id': 'cmp', ...CONFIG });
  for (const [topic, key, value, timestamp] of c.inputs) await driver.createInputTopic(topic, str, str).pipeInput(key, value, timestamp);
  const records = await driver.createOutputTopic('output', c.outputKeySerde, c.outputValueSerde).readRecordsToList();
  await driver.close();
  const all = records.map((r) => `${String(r.key)}=${String(r.value)}`);
  return { latest: new Map(records.map((r) => [String(r.key), String(r.value)])), all };
}

async function readOutput(log: LogEngine, c: Case): Promise<string[]> {
  const out: string[] = [];
  for (let p = 0; p < log.partitionCount('output'); p++) {
    for (let offset = 0; ;) {
      const page = await log.fetch('output', p, offset);
      if (page.length === 0) break;
      for (const r of page) out.push(`${String(c.outputKeySerde.deserialize('output', r.key))}=${String(c.outputValueSerde.deserialize('output', r.value))}`);
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  return out;
}

/** Runs the case on the runtime over 4 partitions, restarting the application half way. */
async function onRuntime(c: Case, expectedLatest: Map<string, string>): Promise<string[]> {
  const dir = tempDir();
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  for (const topic of [...c.inputTopics, 'output']) await log.createTopic(topic, { partitions: c.partitions?.[topic] ?? PARTITIONS });
  const config = { 'application.id': 'cmp', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5, ...CONFIG };
  const produce = (inputs: readonly Input[]) => Promise.all(inputs.map(([topic, key, value, timestamp]) =>
    log.produce(topic, [{ key: str.serialize(topic, key), value: str.serialize(topic, value), timestamp, headers: [] }])));
  const half = Math.floor(c.inputs.length / 2);
  const parts = [c.inputs.slice(0, half), c.inputs.slice(half)];
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    // In order, one at a time, so each partition sees its records in the driver's order.
    for (const input of part) await produce([input]);
    const streams = new KafkaStreams(c.topology(), config, { engine: log });
    await streams.start();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const lag = await Promise.all(c.inputTopics.map(async (topic) => {
        const committed = await log.fetchOffsets('cmp');
        let behind = 0;
        for (let p = 0; p < log.partitionCount(topic); p++) {
          const offset = committed.find((c) => c.topic === topic && c.partition === p)?.offset ?? 0;
          behind += (await log.listOffsets(topic, p)).latest - offset;
        }
        return behind;
      }));
      const latest = new Map((await readOutput(log, c)).map((line) => line.split('=') as [string, string]));
      // Input lag alone says nothing of internal topics (repartition, subscriptions): the last run also waits for the expected output.
      if (lag.every((n) => n === 0) && (!last || [...expectedLatest].every(([k, v]) => latest.get(k) === v))) break;
      if (Date.now() > deadline) throw new Error('the runtime did not catch up within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await streams.close();
  }
  const out = await readOutput(log, c);
  await log.close();
  return out;
}

/** A record at a high timestamp in every partition, so stream time passes every window everywhere. */
function flushEverywhere(topic: string, timestamp: number): Input[] {
  return Array.from({ length: 16 }, (_, i) => [topic, `flush-${i}`, 'x', timestamp] as const);
}

describe('windows and joins on the runtime over 4 partitions give the driver\'s results', () => {
  it('suppressed tumbling counts: each window exactly once, across a restart', async () => {
    const inputs: Input[] = [];
    for (let i = 0; i < 60; i++) inputs.push(['clicks', `user-${i % 7}`, 'click', i * 1_000]);
    inputs.push(...flushEverywhere('clicks', 1_000_000));
    const c: Case = {
      topology: () => {
        const builder = new StreamsBuilder();
        builder.stream('clicks', Consumed.with(str, str)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10_000, 2_000)).count()
          .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())).toStream().to('output', { keySerde: WindowedSerdes.timeWindowedSerdeFrom(str, 10_000), valueSerde: Serdes.Long() } as never);
        return builder.build();
      },
      inputTopics: ['clicks'], outputKeySerde: WindowedSerdes.timeWindowedSerdeFrom(str, 10_000) as Serde<unknown>, outputValueSerde: Serdes.Long() as Serde<unknown>, inputs,
    };
    const driver = await inDriver(c);
    const runtime = await onRuntime(c, driver.latest);
    const real = (lines: string[]) => lines.filter((l) => l.startsWith('[user-')).sort();
    expect(real(driver.all).length).toBeGreaterThan(40);
    expect(real(runtime)).toEqual(real(driver.all));
    expect(new Set(real(runtime)).size).toBe(real(runtime).length);
  }, 60_000);

  it('stream-stream join', async () => {
    const inputs: Input[] = [];
    for (let i = 0; i < 40; i++) {
      inputs.push(['orders', `o${i % 13}`, `order${i}`, i * 100]);
      if (i % 3 === 0) inputs.push(['payments', `o${i % 13}`, `pay${i}`, i * 100 + 50]);
    }
    const c: Case = {
      topology: () => {
        const builder = new StreamsBuilder();
        const orders = builder.stream('orders', Consumed.with(str, str));
        orders.join(builder.stream('payments', Consumed.with(str, str)), (o, p) => `${o}+${p}`, JoinWindows.ofTimeDifferenceWithNoGrace(1_000)).to('output');
        return builder.build();
      },
      inputTopics: ['orders', 'payments'], outputKeySerde: str as Serde<unknown>, outputValueSerde: str as Serde<unknown>, inputs,
    };
    const driver = await inDriver(c);
    expect((await onRuntime(c, driver.latest)).sort()).toEqual([...driver.all].sort());
  }, 60_000);

  it('foreign-key join across differently partitioned internal topics', async () => {
    const inputs: Input[] = [];
    for (let i = 0; i < 12; i++) inputs.push(['customers', `c${i}`, `name${i}`, i]);
    for (let i = 0; i < 30; i++) inputs.push(['orders', `o${i}`, `c${i % 12}`, 100 + i]);
    for (let i = 0; i < 6; i++) inputs.push(['customers', `c${i}`, `renamed${i}`, 200 + i]);
    const c: Case = {
      topology: () => {
        const builder = new StreamsBuilder();
        const customers = builder.table('customers', Consumed.with(str, str));
        builder.table('orders', Consumed.with(str, str)).join(customers, (customer) => customer, (customer, name) => `${customer}:${name}`, Materialized.with(str, str))
          .toStream().to('output');
        return builder.build();
      },
      inputTopics: ['customers', 'orders'], outputKeySerde: str as Serde<unknown>, outputValueSerde: str as Serde<unknown>, inputs,
      partitions: { customers: 3 },
    };
    const driver = await inDriver(c);
    const runtime = await onRuntime(c, driver.latest);
    const latest = new Map(runtime.map((line) => line.split('=') as [string, string]));
    expect(latest).toEqual(driver.latest);
  }, 60_000);
});
