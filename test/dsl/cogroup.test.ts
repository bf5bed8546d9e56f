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
});

function bump(agg: string, index: number, by: number): string {
  const parts = agg.split('/').map(Number);
  parts[index] = parts[index]! + by;
  return parts.join('/');
}
