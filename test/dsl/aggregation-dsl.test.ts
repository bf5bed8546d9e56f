import { afterEach, describe, expect, it } from 'vitest';
import { Consumed, Grouped, Materialized, Produced, StreamsBuilder } from '../../src/dsl/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

let driver: TopologyTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

function start(builder: StreamsBuilder, config: { [key: string]: unknown } = {}) {
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'dsl-agg', ...config });
  return driver;
}

describe('aggregations through the DSL', () => {
  it('with caching on, updates of one key made by one input reach downstream once, at the commit after it', async () => {
    // Words per user: flatMapValues keeps the key, so groupByKey needs no repartition topic.
    const builder = new StreamsBuilder();
    builder.stream<string, string>('posts', Consumed.with(stringSerde, stringSerde))
      .flatMapValues((text) => text.split(' '))
      .groupByKey()
      .count()
      .toStream()
      .to('words-per-user', Produced.with(stringSerde, longSerde));
    const d = start(builder);
    const posts = d.createInputTopic('posts', stringSerde, stringSerde);
    await posts.pipeInput('alice', 'a b c');
    await posts.pipeInput('bob', 'x');
    await posts.pipeInput('alice', 'd e');
    expect(d.createOutputTopic('words-per-user', stringSerde, longSerde).readKeyValuesToList())
      .toEqual([{ key: 'alice', value: 3 }, { key: 'bob', value: 1 }, { key: 'alice', value: 5 }]);
  });

  it('with caching off, every update is emitted', async () => {
    const builder = new StreamsBuilder();
    builder.stream<string, string>('posts', Consumed.with(stringSerde, stringSerde))
      .flatMapValues((text) => text.split(' '))
      .groupByKey()
      .count()
      .toStream()
      .to('words-per-user', Produced.with(stringSerde, longSerde));
    const d = start(builder, { 'statestore.cache.max.bytes': 0 });
    await d.createInputTopic('posts', stringSerde, stringSerde).pipeInput('alice', 'a b c');
    expect(d.createOutputTopic('words-per-user', stringSerde, longSerde).readValuesToList()).toEqual([1, 2, 3]);
  });

  it('Materialized.withCachingDisabled turns caching off for that store only', async () => {
    const builder = new StreamsBuilder();
    builder.stream<string, string>('posts', Consumed.with(stringSerde, stringSerde))
      .flatMapValues((text) => text.split(' '))
      .groupByKey()
      .count(Materialized.as<string, number>('words').withCachingDisabled())
      .toStream()
      .to('words-per-user', Produced.with(stringSerde, longSerde));
    const d = start(builder);
    await d.createInputTopic('posts', stringSerde, stringSerde).pipeInput('alice', 'a b');
    expect(d.createOutputTopic('words-per-user', stringSerde, longSerde).readValuesToList()).toEqual([1, 2]);
    expect(d.getKeyValueStore<string, number>('words')?.get('alice')).toBe(2);
  });

  it('groupByKey().reduce() skips null keys and null values', async () => {
    const builder = new StreamsBuilder();
    const amounts = builder.stream<string, number>('amounts', Consumed.with(stringSerde, longSerde));
    amounts.groupByKey().reduce((a, b) => a + b).toStream().to('reduced', Produced.with(stringSerde, longSerde));
    const d = start(builder, { 'statestore.cache.max.bytes': 0 });
    const input = d.createInputTopic('amounts', stringSerde, longSerde);
    await input.pipeInput('a', 1);
    await input.pipeInput(null, 5);
    await input.pipeInput('a', null);
    await input.pipeInput('a', 2);
    expect(d.createOutputTopic('reduced', stringSerde, longSerde).readKeyValuesToList()).toEqual([{ key: 'a', value: 1 }, { key: 'a', value: 3 }]);
  });

  it('KTable.groupBy(...).aggregate(...) follows the subtractor table of the Kafka Streams DSL guide', async () => {
    const builder = new StreamsBuilder();
    builder.table<string, number>('input', Consumed.with(stringSerde, longSerde))
      .groupBy((key, value) => [key, value], Grouped.with(stringSerde, longSerde))
      .aggregate(() => 0, (_k, v, agg) => agg + v, (_k, v, agg) => agg - v, Materialized.with(stringSerde, longSerde))
      .toStream()
      .to('output', Produced.with(stringSerde, longSerde));
    const d = start(builder, { 'statestore.cache.max.bytes': 0 });
    const input = d.createInputTopic('input', stringSerde, longSerde);
    for (const [key, value, timestamp] of [['hello', 1, 1], ['kafka', 1, 2], ['streams', 1, 3], ['kafka', null, 4], ['kafka', 1, 5], ['streams', 2, 6]] as const) {
      await input.pipeInput(key, value, timestamp);
    }
    expect(d.createOutputTopic('output', stringSerde, longSerde).readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['hello', 1, 1], ['kafka', 1, 2], ['streams', 1, 3], ['kafka', 0, 4], ['kafka', 1, 5], ['streams', 2, 6],
    ]);
  });

  it('KTable.groupBy(...).count() moves a user between regions', async () => {
    const builder = new StreamsBuilder();
    builder.table<string, string>('regions', Consumed.with(stringSerde, stringSerde))
      .groupBy((user, region) => ({ key: region, value: user }), Grouped.with(stringSerde, stringSerde))
      .count()
      .toStream()
      .to('per-region', Produced.with(stringSerde, longSerde));
    const d = start(builder, { 'statestore.cache.max.bytes': 0 });
    const input = d.createInputTopic('regions', stringSerde, stringSerde);
    await input.pipeInput('alice', 'europe');
    await input.pipeInput('alice', 'asia');
    expect(d.createOutputTopic('per-region', stringSerde, longSerde).readKeyValuesToList())
      .toEqual([{ key: 'europe', value: 1 }, { key: 'europe', value: 0 }, { key: 'asia', value: 1 }]);
  });

  it('names a generated store, its repartition topic and nodes as Kafka Streams does (sum-up program: filter, selectKey, groupByKey, reduce)', () => {
    const builder = new StreamsBuilder();
    builder.stream<number, number>('sum-input')
      .filter((_k, v) => v % 100 !== 0)
      .selectKey(() => 1)
      .groupByKey()
      .reduce((a, b) => a + b)
      .toStream()
      .to('sum-output');
    // The node names and edges Kafka Streams gives this program, in today's describe() layout.
    expect(builder.build().describe().toString()).toBe(`Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [sum-input])
      --> KSTREAM-FILTER-0000000001
    Processor: KSTREAM-FILTER-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> KSTREAM-FILTER-0000000006
      <-- KSTREAM-FILTER-0000000001
    Processor: KSTREAM-FILTER-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000005
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-REDUCE-STATE-STORE-0000000003-repartition)
      <-- KSTREAM-FILTER-0000000006

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-REDUCE-STATE-STORE-0000000003-repartition])
      --> KSTREAM-REDUCE-0000000004
    Processor: KSTREAM-REDUCE-0000000004 (stores: [KSTREAM-REDUCE-STATE-STORE-0000000003])
      --> KTABLE-TOSTREAM-0000000008
      <-- KSTREAM-SOURCE-0000000007
    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])
      --> KSTREAM-SINK-0000000009
      <-- KSTREAM-REDUCE-0000000004
    Sink: KSTREAM-SINK-0000000009 (topic: sum-output)
      <-- KTABLE-TOSTREAM-0000000008

`);
  });

  it("describes KTable.groupBy(...).count() as Kafka Streams' own topology test expects", () => {
    const builder = new StreamsBuilder();
    builder.table<string, string>('input-topic')
      .groupBy((key, value) => [key, value])
      .count();
    expect(builder.build().describe().toString()).toBe(`Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [input-topic])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-SOURCE-0000000002 (stores: [input-topic-STATE-STORE-0000000000])
      --> KTABLE-SELECT-0000000003
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SELECT-0000000003 (stores: [])
      --> KSTREAM-SINK-0000000005
      <-- KTABLE-SOURCE-0000000002
    Sink: KSTREAM-SINK-0000000005 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition)
      <-- KTABLE-SELECT-0000000003

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000006 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition])
      --> KTABLE-AGGREGATE-0000000007
    Processor: KTABLE-AGGREGATE-0000000007 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000004])
      --> none
      <-- KSTREAM-SOURCE-0000000006

`);
  });
});
