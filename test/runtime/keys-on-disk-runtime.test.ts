import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  BufferConfig, Consumed, EmitStrategy, JoinWindows, KafkaStreams, LogEngine, Materialized, Serdes, SessionWindows, StreamsBuilder, Suppressed, TimeWindows, WindowedSerdes,
} from '../../src/index.ts';
import type { KeyValueStore, Serde, Topology } from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * With `statestore.key.index.max.keys: 0` every LevelDB store keeps its keys on disk only from its
 * first flush on, so every batch's reads go through the runtime's per-batch prefetch, and scans no
 * prefetch covers (emit-on-window-close, suppress, the outer join's non-match scan, `all()`) walk
 * the disk: the results must be the test driver's (whose stores keep their keys in memory).
 */

const str = Serdes.String();
const PARTITIONS = 4;
type Input = readonly [topic: string, key: string, value: string, timestamp: number];
// Emit-on-window-close and the outer join check for closed windows at most once per wall-clock interval (as Kafka
// does): 0 makes them check on every record, so what they emit depends on the records only, not on timing.
const CONFIG = {
  'statestore.cache.max.bytes': 0, 'default.key.serde': str, 'default.value.serde': str,
  'emit.interval.ms.kstreams.windowed.aggregation': 0, 'emit.interval.ms.kstreams.outer.join.spurious.results.fix': 0,
};

interface Case {
  readonly topology: () => Topology;
  readonly inputTopics: readonly string[];
  readonly outputKeySerde: Serde<unknown>;
  readonly outputValueSerde: Serde<unknown>;
  readonly inputs: readonly Input[];
}

async function inDriver(c: Case, extraConfig: { [key: string]: unknown } = {}): Promise<Map<string, string>> {
  const driver = new TopologyTestDriver(c.topology(), { 'application.id': 'disk', ...CONFIG, ...extraConfig });
  for (const [topic, key, value, timestamp] of c.inputs) await driver.createInputTopic(topic, str, str).pipeInput(key, value, timestamp);
  const records = await driver.createOutputTopic('output', c.outputKeySerde, c.outputValueSerde).readRecordsToList();
  await driver.close();
  return new Map(records.map((r) => [String(r.key), String(r.value)]));
}

async function latestOutput(log: LogEngine, c: Case): Promise<Map<string, string>> {
  const latest = new Map<string, string>();
  for (let p = 0; p < PARTITIONS; p++) {
    for (let offset = 0; ;) {
      const page = await log.fetch('output', p, offset);
      if (page.length === 0) break;
      for (const r of page) latest.set(String(c.outputKeySerde.deserialize('output', r.key)), String(c.outputValueSerde.deserialize('output', r.value)));
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  return latest;
}

/** Runs the case with keys on disk; returns the latest output per key and the running app's `probe`. */
async function onRuntime<T>(c: Case, expected: Map<string, string>, probe: (streams: KafkaStreams) => T): Promise<{ latest: Map<string, string>; probed: T }> {
  const dir = tempDir();
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  for (const topic of [...c.inputTopics, 'output']) await log.createTopic(topic, { partitions: PARTITIONS });
  const streams = new KafkaStreams(c.topology(), {
    'application.id': 'disk', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 10, 'poll.ms': 5, 'statestore.key.index.max.keys': 0, ...CONFIG,
  }, { engine: log });
  await streams.start();
  // Inputs in chunks, each committed before the next is produced: stores pass their key limit at
  // the first commit, and later chunks are read through the per-batch prefetch.
  const committed = async () => (await log.fetchOffsets('disk')).filter((o) => c.inputTopics.includes(o.topic)).reduce((sum, o) => sum + o.offset, 0);
  for (let i = 0; i < c.inputs.length; i += 25) {
    for (const [topic, key, value, timestamp] of c.inputs.slice(i, i + 25)) {
      await log.produce(topic, [{ key: str.serialize(topic, key), value: str.serialize(topic, value), timestamp, headers: [] }]);
    }
    const produced = Math.min(c.inputs.length, i + 25);
    while ((await committed()) < produced) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const deadline = Date.now() + 30_000;
  let latest = await latestOutput(log, c);
  while (![...expected].every(([k, v]) => latest.get(k) === v)) {
    if (Date.now() > deadline) {
      const missing = [...expected].filter(([k, v]) => latest.get(k) !== v).map(([k, v]) => `${k}: ${v} expected, ${latest.get(k)} got`);
      throw new Error(`the runtime did not produce the driver's results within 30 s; ${missing.length} differ: ${missing.slice(0, 20).join('; ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    latest = await latestOutput(log, c);
  }
  const probed = probe(streams);
  await streams.close();
  await log.close();
  return { latest, probed };
}

/** Every entry of a timestamped key-value store, walked with `all()` on each task's store. */
function allOf(streams: KafkaStreams, store: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (let p = 0; p < PARTITIONS; p++) {
    for (const { key, value } of streams.store<KeyValueStore<string, unknown>>(`0_${p}`, store)!.all()) entries.set(key, String((value as { value: unknown }).value));
  }
  return entries;
}

describe('LevelDB stores with their keys on disk only give the driver\'s results on the runtime', () => {
  it('keyed count', async () => {
    const inputs: Input[] = [];
    for (let i = 0; i < 600; i++) inputs.push(['clicks', `user-${i % 150}`, 'click', i]);
    const c: Case = {
      topology: () => {
        const builder = new StreamsBuilder();
        builder.stream('clicks', Consumed.with(str, str)).groupByKey().count(Materialized.as('counts')).toStream().to('output', { valueSerde: Serdes.Long() } as never);
        return builder.build();
      },
      inputTopics: ['clicks'], outputKeySerde: str as Serde<unknown>, outputValueSerde: Serdes.Long() as Serde<unknown>, inputs,
    };
    const expected = await inDriver(c);
    expect([...expected.values()].every((v) => v === '4')).toBe(true);
    const { latest, probed } = await onRuntime(c, expected, (streams) => allOf(streams, 'counts'));
    expect(latest).toEqual(expected);
    expect(probed).toEqual(expected);
  }, 60_000);

  it('session-windowed count', async () => {
    const inputs: Input[] = [];
    // Per key: two records 1 s apart (one session), then one 10 min later (a second session).
    for (let i = 0; i < 80; i++) inputs.push(['clicks', `user-${i}`, 'a', 1_000 + i], ['clicks', `user-${i}`, 'b', 2_000 + i]);
    for (let i = 0; i < 80; i++) inputs.push(['clicks', `user-${i}`, 'c', 600_000 + i]);
    const keySerde = WindowedSerdes.sessionWindowedSerdeFrom(str) as Serde<unknown>;
    const c: Case = {
      topology: () => {
        const builder = new StreamsBuilder();
        builder.stream('clicks', Consumed.with(str, str)).groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(60_000)).count()
          .toStream().filter((_k, v) => v !== null).to('output', { keySerde, valueSerde: Serdes.Long() } as never);
        return builder.build();
      },
      inputTopics: ['clicks'], outputKeySerde: keySerde, outputValueSerde: Serdes.Long() as Serde<unknown>, inputs,
    };
    const expected = await inDriver(c);
    expect(expected.size).toBe(160 + 80); // the one-record session of each key, merged away, is still a key of the output
    // The driver reads ahead before each record too.
    expect(await inDriver(c, { 'default.dsl.store': 'leveldb', 'statestore.key.index.max.keys': 0 })).toEqual(expected);
    const { latest } = await onRuntime(c, expected, () => undefined);
    expect(latest).toEqual(expected);
  }, 60_000);

  it('stream-stream join and foreign-key join', async () => {
    const inputs: Input[] = [];
    for (let i = 0; i < 60; i++) inputs.push(['customers', `c${i}`, `name${i}`, i]);
    for (let i = 0; i < 200; i++) inputs.push(['orders', `o${i}`, `c${i % 60}`, 100 + i]);
    // Renames after the orders: the subscription store, keys on disk by then, is prefix-scanned by customer.
    for (let i = 0; i < 30; i++) inputs.push(['customers', `c${i}`, `renamed${i}`, 400 + i]);
    for (let i = 0; i < 120; i++) inputs.push(['shipments', `o${i}`, `ship${i}`, 100 + i], ['payments', `o${i}`, `pay${i}`, 150 + i]);
    const c: Case = {
      topology: () => {
        const builder = new StreamsBuilder();
        const customers = builder.table('customers', Consumed.with(str, str));
        builder.table('orders', Consumed.with(str, str)).join(customers, (customer) => customer, (customer, name) => `${customer}:${name}`, Materialized.with(str, str))
          .toStream().to('output');
        builder.stream('shipments', Consumed.with(str, str)).join(builder.stream('payments', Consumed.with(str, str)), (o, p) => `${o}+${p}`, JoinWindows.ofTimeDifferenceWithNoGrace(1_000))
          .mapValues((v) => v).selectKey((k) => `paid-${k}`).to('output');
        return builder.build();
      },
      inputTopics: ['customers', 'orders', 'shipments', 'payments'], outputKeySerde: str as Serde<unknown>, outputValueSerde: str as Serde<unknown>, inputs,
    };
    const expected = await inDriver(c);
    expect(expected.size).toBe(200 + 120);
    expect(expected.get('o1')).toBe('c1:renamed1');
    const { latest } = await onRuntime(c, expected, () => undefined);
    expect(latest).toEqual(expected);
  }, 60_000);

  it('emit-on-window-close, suppress and the outer join\'s non-match scan', async () => {
    const inputs: Input[] = [];
    // Three 10 s windows per key; a record far ahead at the end closes them all.
    for (let i = 0; i < 240; i++) inputs.push(['clicks', `user-${i % 40}`, 'x', 1_000 + i * 100]);
    for (let i = 0; i < 120; i++) inputs.push(['left', `k${i}`, `l${i}`, 1_000 + i], ...(i % 3 === 0 ? [['right', `k${i}`, `r${i}`, 1_000 + i] as const] : []));
    // Stream time is per partition: enough far-ahead keys that each partition of each topic gets one.
    for (const topic of ['clicks', 'left', 'right']) for (let p = 0; p < 40; p++) inputs.push([topic, `late-${p}`, 'x', 200_000]);
    const c: Case = {
      topology: () => {
        const builder = new StreamsBuilder();
        const clicks = builder.stream('clicks', Consumed.with(str, str)).groupByKey();
        clicks.windowedBy(TimeWindows.ofSizeWithNoGrace(10_000)).emitStrategy(EmitStrategy.onWindowClose()).count()
          .toStream().map((k, v) => [`closed:${k.key}@${k.window.start}`, String(v)] as never).to('output', { keySerde: str, valueSerde: str } as never);
        clicks.windowedBy(TimeWindows.ofSizeAndGrace(10_000, 1_000)).count(Materialized.as('suppressed'))
          .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
          .toStream().map((k, v) => [`final:${k.key}@${k.window.start}`, String(v)] as never).to('output', { keySerde: str, valueSerde: str } as never);
        builder.stream('left', Consumed.with(str, str))
          .outerJoin(builder.stream('right', Consumed.with(str, str)), (l, r) => `${l}+${r}`, JoinWindows.ofTimeDifferenceWithNoGrace(50))
          .selectKey((k) => `joined:${k}`).to('output');
        return builder.build();
      },
      inputTopics: ['clicks', 'left', 'right'], outputKeySerde: str as Serde<unknown>, outputValueSerde: str as Serde<unknown>, inputs,
    };
    const expected = await inDriver(c);
    expect(expected.get('closed:user-0@0')).toBe('3');
    expect(expected.get('final:user-7@10000')).toBe('2');
    expect(expected.get('joined:k1')).toBe('l1+null');
    expect(expected.get('joined:k3')).toBe('l3+r3');
    const { latest } = await onRuntime(c, expected, () => undefined);
    expect(latest).toEqual(expected);
  }, 90_000);
});
