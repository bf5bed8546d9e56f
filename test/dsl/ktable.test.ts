import { describe, expect, it } from 'vitest';
import { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';

const str = Serdes.String();
const int = Serdes.Integer();
const NO_CACHE = { 'application.id': 'tables', 'statestore.cache.max.bytes': 0 };

describe('KTable', () => {
  it('builder.table with nothing reading its rows has no store and forwards every update, as in Kafka Streams', async () => {
    const builder = new StreamsBuilder();
    builder.table<string, number>('balances', Consumed.with(str, int)).toStream().to('out', Produced.with(str, int));
    const topology = builder.build();
    expect(topology.describe().toString()).toContain('Processor: KTABLE-SOURCE-0000000002 (stores: [])');
    // Caching is on, but without a store there is no cache to hold updates back.
    const driver = new TopologyTestDriver(topology, { 'application.id': 'tables' });
    const input = driver.createInputTopic('balances', str, int);
    await input.pipeInput('alice', 5);
    await input.pipeInput('alice', 7);
    await input.pipeInput('bob', 1);
    await input.pipeInput('bob', null);
    expect(driver.createOutputTopic('out', str, int).readKeyValuesToList()).toEqual([
      { key: 'alice', value: 5 }, { key: 'alice', value: 7 }, { key: 'bob', value: 1 }, { key: 'bob', value: null },
    ]);
    expect(driver.getKeyValueStore('balances-STATE-STORE-0000000000')).toBeUndefined();
    expect([...driver.producedTopicNames()]).toEqual(['out']);
    await driver.close();
  });

  it('builder.table read by a join keeps the latest value per key in <topic>-STATE-STORE-<n>; null deletes', async () => {
    const builder = new StreamsBuilder();
    const balances = builder.table<string, number>('balances', Consumed.with(str, int));
    builder.stream<string, number>('payments', Consumed.with(str, int))
      .join(balances, (payment, balance) => balance - payment)
      .to('out', Produced.with(str, int));
    const topology = builder.build();
    expect(topology.describe().toString()).toContain('Processor: KTABLE-SOURCE-0000000002 (stores: [balances-STATE-STORE-0000000000])');
    const driver = new TopologyTestDriver(topology, NO_CACHE);
    const input = driver.createInputTopic('balances', str, int);
    await input.pipeInput('alice', 5);
    await input.pipeInput('alice', 7);
    await input.pipeInput('bob', 1);
    await input.pipeInput('bob', null);
    await driver.createInputTopic('payments', str, int).pipeKeyValueList([{ key: 'alice', value: 2 }, { key: 'bob', value: 1 }]);
    expect(driver.createOutputTopic('out', str, int).readKeyValuesToList()).toEqual([{ key: 'alice', value: 5 }]);
    const store = driver.getKeyValueStore<string, number>('balances-STATE-STORE-0000000000')!;
    expect([store.get('alice'), store.get('bob')]).toEqual([7, null]);
    expect(driver.producedTopicNames()).toContain('tables-balances-STATE-STORE-0000000000-changelog');
    await driver.close();
  });

  it('a filter sends old values when its parent is materialized, so a row failing with no earlier row emits nothing', async () => {
    const run = async (materialized: boolean) => {
      const builder = new StreamsBuilder();
      const table = materialized
        ? builder.table<string, number>('t', Consumed.with(str, int), Materialized.as('t-store'))
        : builder.table<string, number>('t', Consumed.with(str, int));
      table.filter((_k, v) => v >= 0).toStream().to('out', Produced.with(str, int));
      const driver = new TopologyTestDriver(builder.build(), NO_CACHE);
      await driver.createInputTopic('t', str, int).pipeKeyValueList([{ key: 'a', value: -1 }, { key: 'a', value: 3 }, { key: 'a', value: -2 }]);
      const out = driver.createOutputTopic('out', str, int).readKeyValuesToList();
      await driver.close();
      return out;
    };
    expect(await run(false)).toEqual([{ key: 'a', value: null }, { key: 'a', value: 3 }, { key: 'a', value: null }]);
    expect(await run(true)).toEqual([{ key: 'a', value: 3 }, { key: 'a', value: null }]);
  });

  it('with caching on, updates to a key between commits reach downstream once; with it off, every update does', async () => {
    // One input record makes two updates of the same key; the driver commits after each input.
    const outputFor = async (config: { [key: string]: unknown }) => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, number>('in', Consumed.with(str, int))
        .flatMapValues((v) => [v, v + 1])
        .toTable(Materialized.as<string, number>('latest').withValueSerde(int))
        .toStream()
        .to('out', Produced.with(str, int));
      const driver = new TopologyTestDriver(builder.build(), { 'application.id': 'tables', ...config });
      const input = driver.createInputTopic('in', str, int);
      await input.pipeInput('a', 1);
      await input.pipeInput('a', 10);
      const values = driver.createOutputTopic('out', str, int).readValuesToList();
      expect(driver.getKeyValueStore<string, number>('latest')!.get('a')).toBe(11);
      await driver.close();
      return values;
    };
    expect(await outputFor({})).toEqual([2, 11]);
    expect(await outputFor({ 'statestore.cache.max.bytes': 0 })).toEqual([1, 2, 10, 11]);
  });

  it('filter turns rows that fail into deletes and mapValues maps new values', async () => {
    const builder = new StreamsBuilder();
    builder
      .table<string, number>('t', Consumed.with(str, int))
      .filter((_k, v) => v >= 0)
      .mapValues((v) => v * 2)
      .toStream()
      .to('out', Produced.with(str, int));
    const driver = new TopologyTestDriver(builder.build(), NO_CACHE);
    const input = driver.createInputTopic('t', str, int);
    await input.pipeInput('a', 3);
    await input.pipeInput('a', -1);
    await input.pipeInput('b', 4);
    expect(driver.createOutputTopic('out', str, int).readKeyValuesToList()).toEqual([
      { key: 'a', value: 6 }, { key: 'a', value: null }, { key: 'b', value: 8 },
    ]);
  });

  it('a materialized filter is queryable by name', async () => {
    const builder = new StreamsBuilder();
    builder.table<string, number>('t', Consumed.with(str, int)).filterNot((_k, v) => v === 0, Materialized.as('non-zero'));
    const driver = new TopologyTestDriver(builder.build(), NO_CACHE);
    const input = driver.createInputTopic('t', str, int);
    await input.pipeInput('a', 1);
    await input.pipeInput('b', 0);
    await input.pipeInput('a', 0);
    const store = driver.getKeyValueStore<string, number>('non-zero')!;
    expect([store.get('a'), store.get('b')]).toEqual([null, null]);
    await input.pipeInput('c', 9);
    expect(store.get('c')).toBe(9);
  });

  it('groupBy on a filtered table still subtracts a row that moves out of the filter', async () => {
    // users → region; count users per region, only for regions other than "test".
    const builder = new StreamsBuilder();
    builder
      .table<string, string>('users', Consumed.with(str, str))
      .filter((_user, region) => region !== 'test')
      .groupBy((user, region) => [region, user] as const, Grouped.with(str, str))
      .count(Materialized.as('users-per-region'))
      .toStream()
      .to('out', Produced.with(str, Serdes.Long()));
    const driver = new TopologyTestDriver(builder.build(), NO_CACHE);
    const input = driver.createInputTopic('users', str, str);
    await input.pipeInput('alice', 'eu');
    await input.pipeInput('bob', 'eu');
    await input.pipeInput('alice', 'test');
    await input.pipeInput('bob', 'us');
    const store = driver.getKeyValueStore<string, number>('users-per-region')!;
    expect([store.get('eu'), store.get('us'), store.get('test')]).toEqual([0, 1, null]);
  });
});
