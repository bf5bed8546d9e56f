import { describe, expect, it } from 'vitest';
import { Consumed, Materialized, Produced, SessionWindows, StreamsBuilder, TimeWindows } from '../../src/dsl/index.ts';
import { Serdes, WindowedSerdes } from '../../src/serde/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';

const strings = Consumed.with(Serdes.String(), Serdes.String());
const CONFIG = { 'application.id': 'cogroup', 'statestore.cache.max.bytes': 0, 'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String() };

describe('cogroup', () => {
  it('folds several streams, each with its own aggregator, into one table and one store', async () => {
    const builder = new StreamsBuilder();
    const clicks = builder.stream('clicks', strings).groupByKey();
    const purchases = builder.stream('purchases', strings).mapValues((amount) => Number(amount)).groupByKey();
    const refunds = builder.stream('refunds', strings).selectKey((_k, user) => user).groupByKey();
    clicks
      .cogroup<string>((_user, _click, agg) => bump(agg, 0, 1))
      .cogroup(purchases, (_user, amount, agg) => bump(agg, 1, amount))
      .cogroup(refunds, (_user, _refund, agg) => bump(agg, 2, 1))
      .aggregate(() => '0/0/0', Materialized.as<string, string>('stats').withValueSerde(Serdes.String()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    const topology = builder.build();
    const description = topology.describe().toString();
    expect(description).toContain('COGROUPKSTREAM-MERGE');
    expect(description.match(/COGROUPKSTREAM-AGGREGATE-\d+ \(stores: \[stats\]\)/g)).toHaveLength(3);
    const driver = new TopologyTestDriver(topology, CONFIG);
    await driver.createInputTopic('clicks', Serdes.String(), Serdes.String()).pipeInput('ann', 'home', 1);
    await driver.createInputTopic('purchases', Serdes.String(), Serdes.String()).pipeInput('ann', '30', 2);
    await driver.createInputTopic('refunds', Serdes.String(), Serdes.String()).pipeInput('r1', 'ann', 3);
    await driver.createInputTopic('clicks', Serdes.String(), Serdes.String()).pipeInput('bob', 'cart', 4);
    expect(await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readKeyValuesToList()).toEqual([
      { key: 'ann', value: '1/0/0' }, { key: 'ann', value: '1/30/0' }, { key: 'ann', value: '1/30/1' }, { key: 'bob', value: '1/0/0' },
    ]);
    expect(driver.getKeyValueStore<string, string>('stats')!.get('ann')).toBe('1/30/1');
    await driver.close();
  });

  it('windowed and session-windowed cogroups', async () => {
    const builder = new StreamsBuilder();
    const a = builder.stream('a', strings).groupByKey();
    const b = builder.stream('b', strings).groupByKey();
    a.cogroup<number>((_k, _v, n) => n + 1).cogroup(b, (_k, _v, n) => n + 10)
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10)).aggregate(() => 0, Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream().to('windowed', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 10), Serdes.Long()));
    a.cogroup<number>((_k, _v, n) => n + 1).cogroup(b, (_k, _v, n) => n + 10)
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5)).aggregate(() => 0, (_k, x, y) => x + y, Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream().to('sessions', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()), Serdes.Long()));
    const driver = new TopologyTestDriver(builder.build(), CONFIG);
    await driver.createInputTopic('a', Serdes.String(), Serdes.String()).pipeInput('k', 'x', 1);
    await driver.createInputTopic('b', Serdes.String(), Serdes.String()).pipeInput('k', 'y', 4);
    await driver.createInputTopic('b', Serdes.String(), Serdes.String()).pipeInput('k', 'y', 12);
    const windowed = await driver.createOutputTopic('windowed', WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 10), Serdes.Long()).readKeyValuesToList();
    expect(windowed.map(({ key, value }) => `${String(key)}=${value}`)).toEqual(['[k@0/10]=1', '[k@0/10]=11', '[k@10/20]=10']);
    const sessions = await driver.createOutputTopic('sessions', WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()), Serdes.Long()).readKeyValuesToList();
    expect(sessions.map(({ key, value }) => `${String(key)}=${value}`)).toEqual(['[k@1/1]=1', '[k@1/1]=null', '[k@1/4]=11', '[k@12/12]=10']);
    await driver.close();
  });

  it('a lagging member still finds a window the store expired while the record cache holds it, as Kafka Streams does', async () => {
    // Each member tracks its own stream time, so "right" may update [50000,60000) after "left"
    // moved the shared store's retention past it. Kafka's caching window store answers from the
    // cache before the expired store; without caching the window is gone and starts afresh.
    const run = async (cacheMaxBytes: number): Promise<string[]> => {
      const builder = new StreamsBuilder();
      builder.stream('left', strings).groupByKey()
        .cogroup<string>((_k, v, agg) => `${agg}L${v}`)
        .cogroup(builder.stream('right', strings).groupByKey(), (_k, v, agg) => `${agg}R${v}`)
        .windowedBy(TimeWindows.ofSizeAndGrace(10_000, 5_000))
        .aggregate(() => '', Materialized.as<string, string>('windows').withValueSerde(Serdes.String()))
        .toStream()
        .selectKey((key) => `${key.key}@${key.window.start}`)
        .to('out', Produced.with(Serdes.String(), Serdes.String()));
      const driver = new TopologyTestDriver(builder.build(), { ...CONFIG, 'statestore.cache.max.bytes': cacheMaxBytes });
      const left = driver.createInputTopic('left', Serdes.String(), Serdes.String());
      await left.pipeInput('c', '3', 57_748);
      await left.pipeInput('a', '5', 71_697);
      await driver.createInputTopic('right', Serdes.String(), Serdes.String()).pipeInput('c', '9', 51_555);
      const out = await driver.createOutputTopic('out', Serdes.String(), Serdes.String()).readRecordsToList();
      await driver.close();
      return out.map((r) => `${r.key}=${r.value}@${r.timestamp}`);
    };
    expect(await run(10 * 1024 * 1024)).toEqual(['c@50000=L3@57748', 'a@70000=L5@71697', 'c@50000=L3R9@57748']);
    expect(await run(0)).toEqual(['c@50000=L3@57748', 'a@70000=L5@71697', 'c@50000=R9@51555']);
  });
});

function bump(agg: string, index: number, by: number): string {
  const parts = agg.split('/').map(Number);
  parts[index] = parts[index]! + by;
  return parts.join('/');
}
