import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Consumed, Materialized, Produced, StreamsBuilder, TimeWindows } from '../../src/dsl/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { Stores } from '../../src/state/index.ts';
import type { KeyValueStore } from '../../src/state/index.ts';
import {
  PropertyFailure, TopologyTestDriver, dropsLateRecordsAsGraceSays, idempotentUnderDuplicates, keyedEvents, scaleOutIndependent, windowsOf,
} from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';

const str = Serdes.String();
const strings = { keySerde: str, valueSerde: str };
const letters = fc.constantFrom('a', 'b', 'c');
const input = keyedEvents({ topic: 'in', keys: ['k1', 'k2', 'k3', 'k4', 'k5'], values: letters, maxStepMs: 300, maxLength: 40 });

const failureOf = (check: Promise<void>): Promise<PropertyFailure> => check.then(() => { throw new Error('the property held'); }, (e: unknown) => e as PropertyFailure);

function countPerKey() {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(str, str)).groupByKey().count(Materialized.as('counts'));
  return builder.build();
}

/** Latest value per key, keeping the first one seen: idempotent under redelivery. */
function firstValuePerKey() {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(str, str)).groupByKey().reduce((first) => first, Materialized.as('first'));
  return builder.build();
}

/** The set of values seen per key, in a Processor API store: idempotent. Counting them is not. */
function seenValues(countDuplicates: boolean) {
  const builder = new StreamsBuilder();
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), str, Serdes.Json<string[]>()));
  builder.stream('in', Consumed.with(str, str)).process<never, never>(() => {
    let store: KeyValueStore<string, string[]>;
    return {
      init: (context) => void (store = context.getStateStore('seen')),
      process: (record) => {
        const seen = store.get(record.key) ?? [];
        if (countDuplicates || !seen.includes(record.value)) store.put(record.key, [...seen, record.value].sort());
      },
    };
  }, 'seen');
  return builder.build();
}

describe('scaleOutIndependent', () => {
  it('holds for a grouped count restored onto 4 partitions', async () => {
    await scaleOutIndependent({ topology: countPerKey, input, inputs: { in: strings }, stores: ['counts'] }, { seed: 1, numRuns: 40 });
  });

  it('restores each key\'s state on the partition that now owns the key', async () => {
    const first = new TopologyTestDriver(countPerKey(), {}, { partitions: 1 });
    await first.createInputTopic('in', str, str).pipeKeyValueList(['k1', 'k2', 'k3', 'k4', 'k5'].map((key) => ({ key, value: 'a' })));
    await first.close();
    const scaled = new TopologyTestDriver(countPerKey(), {}, { partitions: 4, restoreFrom: first });
    await scaled.createInputTopic('in', str, str).pipeKeyValueList(['k1', 'k2', 'k3', 'k4', 'k5'].map((key) => ({ key, value: 'b' })));
    expect(Object.fromEntries((scaled.keyValueStoreEntries<string, number>('counts') ?? []).map(({ key, value }) => [key, value])))
      .toEqual({ k1: 2, k2: 2, k3: 2, k4: 2, k5: 2 });
    await scaled.close();
  });
});

describe('restarts', () => {
  it('a driver restored from a closed one rebuilds its global stores from their topics, as Kafka Streams does', async () => {
    const build = () => {
      const builder = new StreamsBuilder();
      const names = builder.globalTable<string, string>('names', Consumed.with(str, str));
      builder.stream('in', Consumed.with(str, str)).leftJoin(names, (key) => key, (value, name) => `${value}:${name}`).to('out', Produced.with(str, str));
      return builder.build();
    };
    const first = new TopologyTestDriver(build());
    await first.createInputTopic('names', str, str).pipeInput('k1', 'Ann');
    await first.close();
    const second = new TopologyTestDriver(build(), {}, { restoreFrom: first });
    await second.createInputTopic('in', str, str).pipeInput('k1', 'order');
    expect(second.createOutputTopic('out', str, str).readValuesToList()).toEqual(['order:Ann']);
    await second.close();
  });
});

describe('idempotentUnderDuplicates', () => {
  it('holds for a deduplicating topology and fails, with the delivery, for a count', async () => {
    await idempotentUnderDuplicates({ topology: firstValuePerKey, input, inputs: { in: strings }, stores: ['first'] }, { seed: 2, numRuns: 40 });
    await idempotentUnderDuplicates({ topology: () => seenValues(false), input, inputs: { in: strings }, stores: ['seen'] }, { seed: 2, numRuns: 40 });
    const failure = await failureOf(idempotentUnderDuplicates({ topology: () => seenValues(true), input, inputs: { in: strings }, stores: ['seen'] }, { seed: 2, numRuns: 40 }));
    expect(failure).toBeInstanceOf(PropertyFailure);
    const [records] = failure.counterexample as [InputRecord[]];
    expect(records).toHaveLength(1);
    expect(failure.message).toContain('delivering the records as #0 #0');
  });
});

describe('late records', () => {
  it('windowsOf applies Kafka\'s rule: a window is closed once stream time passes its end plus grace', () => {
    const at = (key: string | null, timestamp: number): InputRecord => ({ topic: 'in', key, value: 'v', timestamp });
    const { accepted, dropped } = windowsOf([at('a', 5_000), at('a', 900), at('a', 4_100), at(null, 99_000), at('a', 2_999)], { sizeMs: 1_000, graceMs: 1_000 });
    expect(accepted.map((w) => w.id)).toEqual(['[a@5000/6000]', '[a@4000/5000]']);
    expect(dropped.map((w) => [w.index, w.id])).toEqual([[1, '[a@0/1000]'], [4, '[a@2000/3000]']]);
    const hopping = windowsOf([at('b', 2_500)], { sizeMs: 2_000, advanceMs: 1_000, graceMs: 0 });
    expect(hopping.accepted.map((w) => w.id)).toEqual(['[b@1000/3000]', '[b@2000/4000]']);
  });

  const late = keyedEvents({ topic: 'in', keys: ['a', 'b'], values: letters, maxStepMs: 400, maxJitterMs: 300, late: { graceMs: 500, every: 4 }, maxLength: 25 });
  const windowedCount = (graceMs: number) => () => {
    const builder = new StreamsBuilder();
    builder.stream('in', Consumed.with(str, str)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(1_000, graceMs).advanceBy(500))
      .count(Materialized.as<string, number>('counts').withRetention('P1D'));
    return builder.build();
  };

  it('dropsLateRecordsAsGraceSays holds for a windowed count and catches one whose grace is not the one intended', async () => {
    const spec = (graceMs: number) => ({
      topology: windowedCount(graceMs), input: late, inputs: { in: strings }, windows: TimeWindows.ofSizeAndGrace(1_000, 500).advanceBy(500),
      windowCounts: (result: Parameters<PropertySpec['observe'] & {}>[0]) => Object.fromEntries(result.stores.get('counts')!), stores: ['counts'],
    });
    await dropsLateRecordsAsGraceSays(spec(500), { seed: 3, numRuns: 50 });
    const failure = await failureOf(dropsLateRecordsAsGraceSays(spec(5_000), { seed: 3, numRuns: 50 }));
    expect(failure.message).toMatch(/records grace drops: #\d+ from \[\w@\d+\/\d+\]/);
  });
});
