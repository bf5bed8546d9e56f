import { afterEach, describe, expect, it } from 'vitest';
import { TableGroupByNode } from '../../src/dsl/aggregation-node.ts';
import type { NameProvider } from '../../src/dsl/aggregation-node.ts';
import { aggregateGroupedTable, countGroupedTable, reduceGroupedTable } from '../../src/dsl/kgrouped-table.ts';
import type { GroupedTableAggregation } from '../../src/dsl/kgrouped-table.ts';
import type { TableGroupSelector } from '../../src/dsl/processors/table-repartition-map.ts';
import type { Change } from '../../src/dsl/change.ts';
import type { Processor } from '../../src/processor/index.ts';
import type { Serde } from '../../src/serde/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { counterNames } from './support/names.ts';
import { Serdes } from '../../src/serde/index.ts';
import { tableSource, toStream } from './support/table-processors.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

let driver: TopologyTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** table('input') → groupBy(selector) → aggregation → toStream → 'output'. */
function groupedTable<V, VR, VAgg>(
  inputSerde: Serde<V>,
  selector: TableGroupSelector<string, V, string, VR>,
  groupedValueSerde: Serde<VR> | undefined,
  aggregation: (names: NameProvider, select: TableGroupByNode<unknown, unknown, string, VR>) => GroupedTableAggregation<string, VR, VAgg>,
  config: { [key: string]: unknown } = {},
) {
  const names = counterNames(2);
  const topology = new Topology()
    .addSource({ name: 'KTABLE-SOURCE-0000000000', topics: ['input'], keySerde: stringSerde, valueSerde: inputSerde })
    .addProcessor('KTABLE-SOURCE-0000000001', tableSource, 'KTABLE-SOURCE-0000000000');
  const select = new TableGroupByNode(names, {
    parentName: 'KTABLE-SOURCE-0000000001', selector, keySerde: stringSerde, valueSerde: groupedValueSerde, groupedName: undefined, processorName: undefined,
  });
  const { node } = aggregation(names, select);
  select.writeTo(topology);
  node.writeTo(topology);
  topology.addProcessor('to-stream', toStream, node.processorName)
    .addSink({ name: 'sink', topic: 'output', keySerde: stringSerde, valueSerde: longSerde }, 'to-stream');
  driver = new TopologyTestDriver(topology, { 'application.id': 'table', 'statestore.cache.max.bytes': 0, ...config });
  return { node, output: () => driver!.createOutputTopic('output', stringSerde, longSerde).readRecordsToList().map((r) => [r.key, r.value, r.timestamp]) };
}

describe('KGroupedTable operations', () => {
  it('aggregate() with a subtractor reproduces the KGroupedTable table of the Kafka Streams DSL guide', async () => {
    const { node, output } = groupedTable(longSerde, (key, value: number) => [key, value], longSerde,
      (names, select) => aggregateGroupedTable(names, select, () => 0, (_k, v, agg: number) => agg + v, (_k, v, agg) => agg - v, { materialized: { valueSerde: longSerde } }));
    expect(node.store.storeName).toBe('KTABLE-AGGREGATE-STATE-STORE-0000000003');
    expect(node.repartitionTopic).toBe('KTABLE-AGGREGATE-STATE-STORE-0000000003-repartition');
    const input = driver!.createInputTopic('input', stringSerde, longSerde);
    for (const [key, value, timestamp] of [['hello', 1, 1], ['kafka', 1, 2], ['streams', 1, 3], ['kafka', null, 4], ['kafka', 1, 5], ['streams', 2, 6]] as const) {
      await input.pipeInput(key, value, timestamp);
    }
    expect(output()).toEqual([
      ['hello', 1, 1], ['kafka', 1, 2], ['streams', 1, 3], ['kafka', 0, 4], ['kafka', 1, 5], ['streams', 2, 6],
    ]);
  });

  it('count() moves a user from one region to another and drops a deleted one', async () => {
    const { output } = groupedTable(stringSerde, (user, region: string) => ({ key: region, value: user }), stringSerde,
      (names, select) => countGroupedTable(names, select, {}, longSerde));
    const input = driver!.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeInput('alice', 'europe', 10);
    await input.pipeInput('bob', 'europe', 20);
    await input.pipeInput('alice', 'asia', 30);
    await input.pipeInput('bob', null, 40);
    expect(output()).toEqual([['europe', 1, 10], ['europe', 2, 20], ['europe', 1, 30], ['asia', 1, 30], ['europe', 0, 40]]);
  });

  it('reduce() keeps a running total per group and stores it with the grouped value serde', async () => {
    const { node, output } = groupedTable(longSerde, (account, balance: number) => [account.slice(0, account.indexOf(':')), balance], longSerde,
      (names, select) => reduceGroupedTable(names, select, (a, b) => a + b, (a, b) => a - b, { processorName: 'bank-totals' }));
    expect(node.processorName).toBe('bank-totals');
    expect(node.store.valueSerde).toBe(longSerde);
    const input = driver!.createInputTopic('input', stringSerde, longSerde);
    await input.pipeInput('acme:1', 100, 1);
    await input.pipeInput('acme:2', 50, 2);
    await input.pipeInput('acme:1', 70, 3);
    expect(output()).toEqual([['acme', 100, 1], ['acme', 150, 2], ['acme', 120, 3]]);
  });

  it("reduce() names its processor KTABLE-REDUCE but a generated store KTABLE-AGGREGATE, as Kafka does", () => {
    const { node } = groupedTable(longSerde, (key, value: number) => [key, value], longSerde,
      (names, select) => reduceGroupedTable(names, select, (a, b) => a + b, (a, b) => a - b, {}));
    expect(node.store.storeName).toBe('KTABLE-AGGREGATE-STATE-STORE-0000000003');
    expect(node.processorName).toBe('KTABLE-REDUCE-0000000006');
  });

  it('sends the previous aggregate as the old value once a downstream table operator asks for it', async () => {
    const seen: string[] = [];
    const names = counterNames(2);
    const topology = new Topology()
      .addSource({ name: 'source', topics: ['input'], keySerde: stringSerde, valueSerde: stringSerde })
      .addProcessor('table', tableSource, 'source');
    const select = new TableGroupByNode(names, {
      parentName: 'table', selector: (user: string, region: string) => [region, user], keySerde: stringSerde, valueSerde: stringSerde,
      groupedName: undefined, processorName: undefined,
    });
    const aggregation = countGroupedTable(names, select, {}, longSerde);
    aggregation.enableSendingOldValues();
    select.writeTo(topology);
    aggregation.node.writeTo(topology);
    topology.addProcessor('changes', (): Processor<string, Change<number>, never, never> => ({
      process: (record) => { seen.push(`${record.key} ${record.value.newValue}/${record.value.oldValue}`); },
    }), aggregation.node.processorName);
    driver = new TopologyTestDriver(topology, { 'application.id': 'table', 'statestore.cache.max.bytes': 0 });
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeInput('alice', 'europe', 1);
    await input.pipeInput('bob', 'europe', 2);
    await input.pipeInput('alice', 'asia', 3);
    expect(seen).toEqual(['europe 1/null', 'europe 2/1', 'europe 1/2', 'asia 1/null']);
  });

  it('without a grouped value serde, the repartition topic uses default.value.serde', async () => {
    const { output } = groupedTable(longSerde, (key, value: number) => [key, value], undefined,
      (names, select) => countGroupedTable(names, select, {}, longSerde), { 'default.value.serde': longSerde });
    const input = driver!.createInputTopic('input', stringSerde, longSerde);
    await input.pipeInput('a', 4, 1);
    await input.pipeInput('a', 6, 2);
    expect(output()).toEqual([['a', 1, 1], ['a', 1, 2]]);
  });
});
