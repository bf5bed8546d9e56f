import { afterEach, describe, expect, it } from 'vitest';
import { StreamAggregationNode, TableAggregationNode, TableGroupByNode } from '../../src/dsl/aggregation-node.ts';
import { streamAggregateProcessor } from '../../src/dsl/processors/aggregate-stream.ts';
import { tableAggregateProcessor } from '../../src/dsl/processors/aggregate-table.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { counterNames } from './support/names.ts';
import { Serdes } from '../../src/serde/index.ts';
import { tableSource, toStream, wordsOfLine } from './support/table-processors.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

const CONFIG = { 'application.id': 'wc', 'statestore.cache.max.bytes': 0 };

let driver: TopologyTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** source 0, flatMapValues 1, key-select 2 (one test processor), then count(). */
function wordCount(groupedName: string | undefined, storeName: string | undefined) {
  const names = counterNames(3);
  const topology = new Topology()
    .addSource({ name: 'KSTREAM-SOURCE-0000000000', topics: ['lines'], keySerde: stringSerde, valueSerde: stringSerde })
    .addProcessor('KSTREAM-KEY-SELECT-0000000002', wordsOfLine, 'KSTREAM-SOURCE-0000000000');
  const node = new StreamAggregationNode<string, string, number>(
    names,
    { parentName: 'KSTREAM-KEY-SELECT-0000000002', keySerde: stringSerde, valueSerde: stringSerde, repartitionRequired: true, groupedName },
    { prefix: 'KSTREAM-AGGREGATE', storePrefix: 'KSTREAM-AGGREGATE', processorName: undefined, materialized: storeName === undefined ? undefined : { storeName }, keySerde: stringSerde, valueSerde: longSerde },
    (store) => streamAggregateProcessor<string, string, number>(store, () => 0, (_k, _v, n) => n + 1),
  );
  node.writeTo(topology);
  const toStreamName = names.newProcessorName('KTABLE-TOSTREAM');
  const sinkName = names.newProcessorName('KSTREAM-SINK');
  topology.addProcessor(toStreamName, toStream, node.processorName)
    .addSink({ name: sinkName, topic: 'counts', keySerde: stringSerde, valueSerde: longSerde }, toStreamName);
  return { topology, node };
}

describe('StreamAggregationNode', () => {
  it("names the store, the aggregate and the repartition nodes in Kafka's counter order", () => {
    const { topology, node } = wordCount(undefined, undefined);
    expect(node.store.storeName).toBe('KSTREAM-AGGREGATE-STATE-STORE-0000000003');
    expect([...topology.nodes.keys()]).toEqual([
      'KSTREAM-SOURCE-0000000000', 'KSTREAM-KEY-SELECT-0000000002',
      'KSTREAM-FILTER-0000000006', 'KSTREAM-SINK-0000000005', 'KSTREAM-SOURCE-0000000007',
      'KSTREAM-AGGREGATE-0000000004', 'KTABLE-TOSTREAM-0000000008', 'KSTREAM-SINK-0000000009',
    ]);
    expect([...topology.internalTopics.keys()]).toEqual(['KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition']);
  });

  it('names the repartition topic after the Grouped name, else after a named store', () => {
    expect([...wordCount('words', 'counts').topology.internalTopics.keys()]).toEqual(['words-repartition']);
    expect([...wordCount(undefined, 'counts').topology.internalTopics.keys()]).toEqual(['counts-repartition']);
  });

  it("with a user-given name, names the repartition nodes after the topic and still advances the counter, as Kafka's word-count describe shows", () => {
    const { topology, node } = wordCount(undefined, 'counts-store');
    // A named store takes no number: the aggregate gets 3, the unused repartition numbers 4-6, toStream 7.
    expect([...topology.nodes.keys()]).toEqual([
      'KSTREAM-SOURCE-0000000000', 'KSTREAM-KEY-SELECT-0000000002',
      'counts-store-repartition-filter', 'counts-store-repartition-sink', 'counts-store-repartition-source',
      'KSTREAM-AGGREGATE-0000000003', 'KTABLE-TOSTREAM-0000000007', 'KSTREAM-SINK-0000000008',
    ]);
    expect(node.store.storeName).toBe('counts-store');
  });

  it('counts words through the repartition topic', async () => {
    driver = new TopologyTestDriver(wordCount(undefined, undefined).topology, CONFIG);
    await driver.createInputTopic('lines', stringSerde, stringSerde).pipeValueList(['all streams lead to kafka', 'hello kafka streams']);
    expect(driver.createOutputTopic('counts', stringSerde, longSerde).readKeyValuesToList().map(({ key, value }) => `${key} ${value}`))
      .toEqual(['all 1', 'streams 1', 'lead 1', 'to 1', 'kafka 1', 'hello 1', 'kafka 2', 'streams 2']);
    expect(driver.producedTopicNames()).toContain('wc-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition');
  });

  it('without repartitioning reads the grouped stream directly', () => {
    const topology = new Topology().addSource({ name: 'src', topics: ['in'] });
    const node = new StreamAggregationNode(counterNames(1), { parentName: 'src', keySerde: undefined, valueSerde: undefined, repartitionRequired: false, groupedName: undefined },
      { prefix: 'KSTREAM-REDUCE', storePrefix: 'KSTREAM-REDUCE', processorName: 'my-reduce', materialized: undefined, keySerde: undefined, valueSerde: undefined },
      (store) => streamAggregateProcessor(store, () => 0, () => 0));
    node.writeTo(topology);
    expect([...topology.nodes.keys()]).toEqual(['src', 'my-reduce']);
    expect(node.store.storeName).toBe('KSTREAM-REDUCE-STATE-STORE-0000000001');
    expect(topology.internalTopics.size).toBe(0);
  });
});

describe('TableAggregationNode', () => {
  it('groups a table through a repartition topic named after the store and counts per group', async () => {
    const names = counterNames(2);
    const topology = new Topology()
      .addSource({ name: 'KTABLE-SOURCE-0000000000', topics: ['regions'], keySerde: stringSerde, valueSerde: stringSerde })
      .addProcessor('KTABLE-SOURCE-0000000001', tableSource, 'KTABLE-SOURCE-0000000000');
    const select = new TableGroupByNode(names, {
      parentName: 'KTABLE-SOURCE-0000000001',
      selector: (user: string, region: string) => [region, user],
      keySerde: stringSerde,
      valueSerde: stringSerde,
      groupedName: undefined,
      processorName: undefined,
    });
    const aggregation = new TableAggregationNode<string, string, number>(names, select,
      { prefix: 'KTABLE-AGGREGATE', storePrefix: 'KTABLE-AGGREGATE', processorName: undefined, materialized: undefined, keySerde: stringSerde, valueSerde: longSerde },
      (store, serde) => tableAggregateProcessor<string, string, number>(store, () => 0, (_k, _v, n) => n + 1, (_k, _v, n) => n - 1, { changeSerde: serde }));
    select.writeTo(topology);
    aggregation.writeTo(topology);
    topology.addProcessor('to-stream', toStream, aggregation.processorName).addSink({ name: 'sink', topic: 'per-region', keySerde: stringSerde, valueSerde: longSerde }, 'to-stream');

    expect(select.processorName).toBe('KTABLE-SELECT-0000000002');
    expect(aggregation.store.storeName).toBe('KTABLE-AGGREGATE-STATE-STORE-0000000003');
    expect([aggregation.sinkName, aggregation.sourceName, aggregation.processorName])
      .toEqual(['KSTREAM-SINK-0000000004', 'KSTREAM-SOURCE-0000000005', 'KTABLE-AGGREGATE-0000000006']);
    expect(aggregation.repartitionTopic).toBe('KTABLE-AGGREGATE-STATE-STORE-0000000003-repartition');

    driver = new TopologyTestDriver(topology, CONFIG);
    const input = driver.createInputTopic('regions', stringSerde, stringSerde);
    await input.pipeInput('alice', 'europe', 1);
    await input.pipeInput('alice', 'asia', 2);
    expect(driver.createOutputTopic('per-region', stringSerde, longSerde).readKeyValuesToList())
      .toEqual([{ key: 'europe', value: 1 }, { key: 'europe', value: 0 }, { key: 'asia', value: 1 }]);
  });
});
