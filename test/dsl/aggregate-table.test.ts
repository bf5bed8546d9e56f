import { afterEach, describe, expect, it } from 'vitest';
import { tableAggregateProcessor } from '../../src/dsl/processors/aggregate-table.ts';
import { ChangeSerde } from '../../src/dsl/processors/change-serde.ts';
import { tableReduceProcessor } from '../../src/dsl/processors/reduce-table.ts';
import { tableRepartitionMapProcessor } from '../../src/dsl/processors/table-repartition-map.ts';
import type { TableGroupSelector } from '../../src/dsl/processors/table-repartition-map.ts';
import type { Processor } from '../../src/processor/index.ts';
import type { Change } from '../../src/dsl/change.ts';
import type { Serde } from '../../src/serde/index.ts';
import { Stores } from '../../src/state/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { tableSource, toStream } from './support/table-processors.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

const CONFIG = { 'application.id': 'grouped-table', 'statestore.cache.max.bytes': 0 };

let driver: TopologyTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/**
 * table(input) → groupBy(selector) → repartition topic → aggregation → toStream → output, the shape
 * KTable.groupBy(...).aggregate(...) builds.
 */
function groupedTableTopology<V, VR, VAgg>(
  valueSerde: Serde<V>,
  groupedValueSerde: Serde<VR> | undefined,
  aggregateSerde: Serde<VAgg>,
  selector: TableGroupSelector<string, V, string, VR>,
  aggregation: (changes: ChangeSerde<VR>) => () => Processor<string, Change<VR>, string, Change<VAgg>>,
): Topology {
  const changes = new ChangeSerde(groupedValueSerde);
  return new Topology()
    .addSource({ name: 'source', topics: ['input'], keySerde: stringSerde, valueSerde })
    .addProcessor('table', tableSource, 'source')
    .addProcessor('select', tableRepartitionMapProcessor(selector, changes), 'table')
    .addSink({ name: 'repartition-sink', topic: 'grouped-repartition', keySerde: stringSerde, valueSerde: changes }, 'select')
    .addInternalTopic('grouped-repartition', 'repartition')
    .addSource({ name: 'repartition-source', topics: ['grouped-repartition'], keySerde: stringSerde, valueSerde: changes })
    .addProcessor('aggregate', aggregation(changes), 'repartition-source')
    .addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('aggregates'), stringSerde, aggregateSerde), 'aggregate')
    .addProcessor('to-stream', toStream, 'aggregate')
    .addSink({ name: 'sink', topic: 'output', keySerde: stringSerde, valueSerde: aggregateSerde }, 'to-stream');
}

describe('KGroupedTable aggregation with a subtractor', () => {
  it('follows the aggregation table of the Kafka Streams DSL guide', async () => {
    // groupBy((k, v) => (k, v)).aggregate(() => 0, (k, v, agg) => agg + v, (k, v, agg) => agg - v)
    const topology = groupedTableTopology(longSerde, longSerde, longSerde, (key, value: number) => [key, value],
      () => tableAggregateProcessor<string, number, number>('aggregates', () => 0, (_k, v, agg) => agg + v, (_k, v, agg) => agg - v));
    driver = new TopologyTestDriver(topology, CONFIG);
    const input = driver.createInputTopic('input', stringSerde, longSerde);
    await input.pipeInput('hello', 1, 1);
    await input.pipeInput('kafka', 1, 2);
    await input.pipeInput('streams', 1, 3);
    await input.pipeInput('kafka', null, 4);
    await input.pipeInput('kafka', 1, 5);
    await input.pipeInput('streams', 2, 6);
    const output = driver.createOutputTopic('output', stringSerde, longSerde).readRecordsToList();
    expect(output.map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['hello', 1, 1],
      ['kafka', 1, 2],
      ['streams', 1, 3],
      ['kafka', 0, 4], // the tombstone subtracts the old value; the aggregate stays, at 0
      ['kafka', 1, 5],
      ['streams', 2, 6], // subtract 1, add 2
    ]);
  });

  it('moves a row between groups: the old group loses it before the new group gains it', async () => {
    // users by region; count = aggregate(0, +1, -1)
    const topology = groupedTableTopology(stringSerde, stringSerde, longSerde, (user, region: string) => ({ key: region, value: user }),
      () => tableAggregateProcessor<string, string, number>('aggregates', () => 0, (_k, _v, n) => n + 1, (_k, _v, n) => n - 1));
    driver = new TopologyTestDriver(topology, CONFIG);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeInput('alice', 'europe', 10);
    await input.pipeInput('bob', 'asia', 20);
    await input.pipeInput('alice', 'asia', 30);
    await input.pipeInput('bob', null, 40);
    const output = driver.createOutputTopic('output', stringSerde, longSerde).readRecordsToList();
    expect(output.map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['europe', 1, 10],
      ['asia', 1, 20],
      ['europe', 0, 30],
      ['asia', 2, 30],
      ['asia', 1, 40],
    ]);
  });

  it('ignores rows whose selected key or value is null', async () => {
    const topology = groupedTableTopology(stringSerde, stringSerde, longSerde,
      (user, region: string) => [region === 'none' ? null : region, region === 'hidden' ? null : user] as [string, string],
      () => tableAggregateProcessor<string, string, number>('aggregates', () => 0, (_k, _v, n) => n + 1, (_k, _v, n) => n - 1));
    driver = new TopologyTestDriver(topology, CONFIG);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeInput('alice', 'none', 1);
    await input.pipeInput('bob', 'hidden', 2);
    await input.pipeInput('carol', 'asia', 3);
    await input.pipeInput('carol', 'none', 4);
    const output = driver.createOutputTopic('output', stringSerde, longSerde).readKeyValuesToList();
    expect(output).toEqual([{ key: 'asia', value: 1 }, { key: 'asia', value: 0 }]);
  });

  it('reduce subtracts the old balance then adds the new one', async () => {
    // total balance per bank
    const topology = groupedTableTopology(longSerde, longSerde, longSerde, (account, balance: number) => [account.split(':')[0] ?? '', balance],
      () => tableReduceProcessor<string, number>('aggregates', (sum, v) => sum + v, (sum, v) => sum - v));
    driver = new TopologyTestDriver(topology, CONFIG);
    const input = driver.createInputTopic('input', stringSerde, longSerde);
    await input.pipeInput('acme:1', 100, 1);
    await input.pipeInput('acme:2', 50, 2);
    await input.pipeInput('acme:1', 70, 3);
    const output = driver.createOutputTopic('output', stringSerde, longSerde).readKeyValuesToList();
    expect(output).toEqual([{ key: 'acme', value: 100 }, { key: 'acme', value: 150 }, { key: 'acme', value: 120 }]);
  });

  it('takes the repartition value serde from default.value.serde when the grouping gives none', async () => {
    const topology = groupedTableTopology(longSerde, undefined, longSerde, (key, value: number) => [key, value],
      (changes) => tableAggregateProcessor<string, number, number>('aggregates', () => 0, (_k, v, agg) => agg + v, (_k, v, agg) => agg - v, { changeSerde: changes }));
    driver = new TopologyTestDriver(topology, { ...CONFIG, 'default.value.serde': longSerde });
    const input = driver.createInputTopic('input', stringSerde, longSerde);
    await input.pipeInput('a', 4, 1);
    await input.pipeInput('a', 6, 2);
    expect(driver.createOutputTopic('output', stringSerde, longSerde).readKeyValuesToList()).toEqual([{ key: 'a', value: 4 }, { key: 'a', value: 6 }]);
  });
});

describe('table change serde', () => {
  const serde = new ChangeSerde(stringSerde);
  it.each<[string, Change<string>]>([
    ['a new value', { newValue: 'new', oldValue: null }],
    ['an old value', { newValue: null, oldValue: 'old' }],
    ['both values', { newValue: 'new', oldValue: 'older' }],
    ['both values, one empty', { newValue: '', oldValue: 'x' }],
  ])('round-trips %s', (_name, change) => {
    expect(serde.deserialize('t', serde.serialize('t', change))).toEqual(change);
  });

  it('rejects bytes that no table change serializer wrote', () => {
    expect(() => serde.deserialize('t', Buffer.from('abc\u0009'))).toThrowError(/not a table change/);
  });
});
