import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Branched, Consumed, Named, Produced, Repartitioned, Serdes, StreamsBuilder } from '../../src/index.ts';
import type { FixedKeyProcessorContext, ProcessorContext, Record } from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';

const str = Serdes.String();
const int = Serdes.Integer();

/** Builds a topology reading `in` and writing `out`, pipes `input`, and returns what reached `out`. */
async function run(build: (builder: StreamsBuilder) => void, input: ReadonlyArray<{ key: string | null; value: number }>) {
  const builder = new StreamsBuilder();
  build(builder);
  const driver = new TopologyTestDriver(builder.build(), { 'application.id': 'dsl-test' });
  await driver.createInputTopic('in', str, int).pipeKeyValueList(input);
  const out = driver.createOutputTopic('out', str, int).readKeyValuesToList();
  await driver.close();
  return { out };
}

const source = (builder: StreamsBuilder) => builder.stream<string, number>('in', Consumed.with(str, int));

describe('KStream stateless operations', () => {
  it('filter, filterNot, mapValues, flatMapValues and peek keep keys', async () => {
    const peeked: string[] = [];
    const { out } = await run(
      (b) =>
        source(b)
          .filter((_k, v) => v > 0)
          .filterNot((k) => k === 'skip')
          .mapValues((v, k) => v * 10 + k.length)
          .flatMapValues((v) => [v, v + 1])
          .peek((k, v) => peeked.push(`${k}=${v}`))
          .to('out', Produced.with(str, int)),
      [{ key: 'a', value: 1 }, { key: 'skip', value: 2 }, { key: 'bb', value: -3 }, { key: 'bb', value: 4 }],
    );
    expect(out).toEqual([
      { key: 'a', value: 11 }, { key: 'a', value: 12 },
      { key: 'bb', value: 42 }, { key: 'bb', value: 43 },
    ]);
    expect(peeked).toEqual(['a=11', 'a=12', 'bb=42', 'bb=43']);
  });

  it('filter, filterNot and split predicates take (key, value), as Kafka Streams\' Predicate does', async () => {
    // Keys and values of one type: the argument order is invisible to the compiler, so only the
    // records that come out can tell which one a predicate saw.
    const builder = new StreamsBuilder();
    const lines = builder.stream<string, string>('words', Consumed.with(str, str));
    lines.filter((key, value) => key === 'k1' && value === 'v1').to('kept', Produced.with(str, str));
    lines.filterNot((key) => key === 'k1').to('not-k1', Produced.with(str, str));
    const branches = lines.split(Named.as('by-')).branch((key) => key === 'k2', Branched.as('k2')).defaultBranch(Branched.as('rest'));
    branches['by-k2']!.to('k2', Produced.with(str, str));
    builder.table<string, string>('table', Consumed.with(str, str)).filter((key) => key === 'k1').toStream().to('table-k1', Produced.with(str, str));
    const driver = new TopologyTestDriver(builder.build());
    const pairs = [{ key: 'k1', value: 'v1' }, { key: 'v1', value: 'k1' }, { key: 'k2', value: 'x' }, { key: 'x', value: 'k2' }];
    await driver.createInputTopic('words', str, str).pipeKeyValueList(pairs);
    await driver.createInputTopic('table', str, str).pipeKeyValueList(pairs);
    const read = (topic: string) => driver.createOutputTopic(topic, str, str).readKeyValuesToList();
    expect(read('kept')).toEqual([{ key: 'k1', value: 'v1' }]);
    expect(read('not-k1')).toEqual(pairs.slice(1));
    expect(read('k2')).toEqual([{ key: 'k2', value: 'x' }]);
    expect(read('table-k1')).toEqual([{ key: 'k1', value: 'v1' }, { key: 'v1', value: null }, { key: 'k2', value: null }, { key: 'x', value: null }]);
    await driver.close();
  });

  it('map, flatMap and selectKey change keys; pairs may be tuples or objects', async () => {
    const { out } = await run(
      (b) =>
        source(b)
          .map((k, v) => [`${k}!`, v + 1] as const)
          .flatMap((k, v) => [{ key: k, value: v }, [`${k}?`, -v] as const])
          .selectKey((k, v) => `${k}:${v}`)
          .to('out', Produced.with(str, int)),
      [{ key: 'x', value: 1 }],
    );
    expect(out).toEqual([{ key: 'x!:2', value: 2 }, { key: 'x!?:-2', value: -2 }]);
  });

  it('split routes each record to the first matching branch, with Kafka\'s branch names', async () => {
    const builder = new StreamsBuilder();
    const branches = source(builder)
      .split(Named.as('sizes-'))
      .branch((_k, v) => v >= 100, Branched.as('large'))
      .branch((_k, v) => v >= 10)
      .defaultBranch();
    expect(Object.keys(branches).sort()).toEqual(['sizes-0', 'sizes-2', 'sizes-large']);
    branches['sizes-large']!.to('large', Produced.with(str, int));
    branches['sizes-2']!.to('medium', Produced.with(str, int));
    branches['sizes-0']!.to('small', Produced.with(str, int));
    const driver = new TopologyTestDriver(builder.build());
    await driver.createInputTopic('in', str, int).pipeValueList([5, 500, 50, 100, 9]);
    const read = (topic: string) => driver.createOutputTopic(topic, str, int).readValuesToList();
    expect([read('large'), read('medium'), read('small')]).toEqual([[500, 100], [50], [5, 9]]);
  });

  it('split with functions and consumers: only function results are in the map, and noDefaultBranch drops the rest', async () => {
    const builder = new StreamsBuilder();
    const consumed: string[] = [];
    const branches = source(builder)
      .split()
      .branch((_k, v) => v % 2 === 0, Branched.withFunction((s) => s.mapValues((v) => v / 2), 'even'))
      .branch((_k, v) => v % 3 === 0, Branched.withConsumer((s) => s.foreach((_k, v) => consumed.push(String(v))), 'three'))
      .noDefaultBranch();
    const names = Object.keys(branches);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^KSTREAM-BRANCH-\d{10}even$/);
    branches[names[0]!]!.to('half', Produced.with(str, int));
    const driver = new TopologyTestDriver(builder.build());
    await driver.createInputTopic('in', str, int).pipeValueList([1, 2, 3, 4, 9, 6]);
    expect(driver.createOutputTopic('half', str, int).readValuesToList()).toEqual([1, 2, 3]);
    expect(consumed).toEqual(['3', '9']);
  });

  it('merge interleaves two streams in arrival order', async () => {
    const builder = new StreamsBuilder();
    const a = builder.stream<string, number>('a', Consumed.with(str, int));
    const b = builder.stream<string, number>('b', Consumed.with(str, int)).mapValues((v) => -v);
    a.merge(b).to('out', Produced.with(str, int));
    const driver = new TopologyTestDriver(builder.build());
    const inA = driver.createInputTopic('a', str, int);
    const inB = driver.createInputTopic('b', str, int);
    await inA.pipeInput('k', 1, 1);
    await inB.pipeInput('k', 2, 2);
    await inA.pipeInput('k', 3, 3);
    expect(driver.createOutputTopic('out', str, int).readValuesToList()).toEqual([1, -2, 3]);
  });

  it('repartition writes through <application.id>-<name>-repartition', async () => {
    const builder = new StreamsBuilder();
    source(builder).selectKey((_k, v) => String(v)).repartition(Repartitioned.as<string, number>('by-value').withKeySerde(str).withValueSerde(int)).to('out', Produced.with(str, int));
    const topology = builder.build();
    expect(topology.describe().toString()).toContain('Sink: by-value-repartition-sink (topic: by-value-repartition)');
    const driver = new TopologyTestDriver(topology, { 'application.id': 'app' });
    await driver.createInputTopic('in', str, int).pipeInput('k', 7);
    expect(driver.createOutputTopic('out', str, int).readKeyValue()).toEqual({ key: '7', value: 7 });
    expect(driver.producedTopicNames()).toContain('app-by-value-repartition');
  });

  it('process and processValues run Processor API code with connected stores', async () => {
    const builder = new StreamsBuilder();
    const { Stores } = await import('../../src/index.ts');
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), str, int));
    source(builder)
      .process<string, number>(() => {
        let context: ProcessorContext<string, number>;
        return {
          init: (c) => void (context = c),
          process: (record: Record<string, number>) => {
            const store = context.getStateStore<import('../../src/index.ts').KeyValueStore<string, number>>('seen');
            const count = (store.get(record.key) ?? 0) + 1;
            store.put(record.key, count);
            context.forward(record.withValue(count));
          },
        };
      }, 'seen')
      .processValues<number>(() => {
        let context: FixedKeyProcessorContext<string, number>;
        return { init: (c) => void (context = c), process: (record) => context.forward(record.withValue(record.value * 100)) };
      })
      .to('out', Produced.with(str, int));
    const driver = new TopologyTestDriver(builder.build());
    await driver.createInputTopic('in', str, int).pipeKeyValueList([{ key: 'a', value: 0 }, { key: 'a', value: 0 }, { key: 'b', value: 0 }]);
    expect(driver.createOutputTopic('out', str, int).readKeyValuesToList()).toEqual([
      { key: 'a', value: 100 }, { key: 'a', value: 200 }, { key: 'b', value: 100 },
    ]);
  });

  it('a stateless chain equals the same functions applied to the input array (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), value: fc.integer({ min: -1000, max: 1000 }) }), { maxLength: 40 }), async (input) => {
        const { out } = await run(
          (b) => source(b).filter((_k, v) => v % 3 !== 0).mapValues((v) => v * 2).flatMapValues((v) => (v > 0 ? [v, v] : [v])).to('out', Produced.with(str, int)),
          input,
        );
        const expected = input
          .filter(({ value }) => value % 3 !== 0)
          .map(({ key, value }) => ({ key, value: value * 2 }))
          .flatMap(({ key, value }) => (value > 0 ? [{ key, value }, { key, value }] : [{ key, value }]));
        expect(out).toEqual(expected);
      }),
      { seed: 51, numRuns: 60 },
    );
  });
});
