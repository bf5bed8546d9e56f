import { afterEach, describe, expect, it } from 'vitest';
import { aggregateGroupedStream, countGroupedStream, reduceGroupedStream } from '../../src/dsl/kgrouped-stream.ts';
import type { GroupedAggregation } from '../../src/dsl/kgrouped-stream.ts';
import type { Processor } from '../../src/processor/index.ts';
import type { Serde } from '../../src/serde/index.ts';
import type { TimestampedKeyValueStore } from '../../src/state/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { counterNames } from './support/names.ts';
import { Serdes } from '../../src/serde/index.ts';
import { toStream, wordsOfLine } from './support/table-processors.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

const CONFIG = { 'application.id': 'grouped', 'statestore.cache.max.bytes': 0 };

let driver: TopologyTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** source → words keyed by themselves (key changed: repartition) → aggregation → toStream → sink. */
function wordsTopology<VAgg>(
  aggregation: (input: { parentName: string; keySerde: Serde<string>; valueSerde: Serde<string>; repartitionRequired: boolean; groupedName: undefined }) => GroupedAggregation<string, string, VAgg>,
  outputSerde: Serde<VAgg>,
) {
  const topology = new Topology()
    .addSource({ name: 'KSTREAM-SOURCE-0000000000', topics: ['lines'], keySerde: stringSerde, valueSerde: stringSerde })
    .addProcessor('KSTREAM-KEY-SELECT-0000000001', wordsOfLine, 'KSTREAM-SOURCE-0000000000');
  const { node } = aggregation({ parentName: 'KSTREAM-KEY-SELECT-0000000001', keySerde: stringSerde, valueSerde: stringSerde, repartitionRequired: true, groupedName: undefined });
  node.writeTo(topology);
  topology.addProcessor('to-stream', toStream, node.processorName)
    .addSink({ name: 'sink', topic: 'out', keySerde: stringSerde, valueSerde: outputSerde }, 'to-stream');
  return { topology, node };
}

async function run<VAgg>(topology: Topology, lines: string[], outputSerde: Serde<VAgg>) {
  driver = new TopologyTestDriver(topology, CONFIG);
  await driver.createInputTopic('lines', stringSerde, stringSerde).pipeValueList(lines);
  return driver.createOutputTopic('out', stringSerde, outputSerde).readKeyValuesToList().map(({ key, value }) => `${key} ${value}`);
}

describe('KGroupedStream operations', () => {
  it('count() gives the word-count emission sequence of the Kafka Streams docs', async () => {
    const { topology, node } = wordsTopology((input) => countGroupedStream(counterNames(2), input, {}, longSerde), longSerde);
    expect(node.store.storeName).toBe('KSTREAM-AGGREGATE-STATE-STORE-0000000002');
    expect(await run(topology, ['all streams lead to kafka', 'hello kafka streams', 'join kafka summit'], longSerde)).toEqual([
      'all 1', 'streams 1', 'lead 1', 'to 1', 'kafka 1', 'hello 1', 'kafka 2', 'streams 2', 'join 1', 'kafka 3', 'summit 1',
    ]);
  });

  it('count() stores counts with the Long serde even when the config default is another', async () => {
    const { topology } = wordsTopology((input) => countGroupedStream(counterNames(2), input, { materialized: { storeName: 'counts' } }, longSerde), longSerde);
    driver = new TopologyTestDriver(topology, { ...CONFIG, 'default.value.serde': stringSerde });
    await driver.createInputTopic('lines', stringSerde, stringSerde).pipeInput(null, 'kafka kafka');
    expect(driver.getStateStore<TimestampedKeyValueStore<string, number>>('counts')?.get('kafka')?.value).toBe(2);
  });

  it('reduce() combines the values of a key, keeping the grouped value serde for its store', async () => {
    const { topology, node } = wordsTopology(
      (input) => reduceGroupedStream(counterNames(2), input, (longest, word) => (word.length > longest.length ? word : longest) + '!', { processorName: 'longest' }),
      stringSerde,
    );
    expect(node.processorName).toBe('longest');
    expect(node.store.valueSerde).toBe(stringSerde);
    expect(await run(topology, ['a', 'a', 'a'], stringSerde)).toEqual(['a a', 'a a!', 'a a!!']);
  });

  it('aggregate() folds values into a different type from its initializer', async () => {
    const { topology } = wordsTopology(
      (input) => aggregateGroupedStream(counterNames(2), input, () => 100, (_word, word, total) => total + word.length, { materialized: { valueSerde: longSerde } }),
      longSerde,
    );
    expect(await run(topology, ['kafka streams', 'kafka'], longSerde)).toEqual(['kafka 105', 'streams 107', 'kafka 110']);
  });

  it('an aggregation read by a table operator that needs old values sends them', async () => {
    const seen: string[] = [];
    const recordChanges = (): Processor<string, { newValue: number | null; oldValue: number | null }, never, never> => ({
      process: (record) => { seen.push(`${record.key} ${record.value.newValue}/${record.value.oldValue}`); },
    });
    const names = counterNames(2);
    const topology = new Topology()
      .addSource({ name: 'source', topics: ['lines'], keySerde: stringSerde, valueSerde: stringSerde });
    const aggregation = countGroupedStream<string, string>(names, { parentName: 'source', keySerde: stringSerde, valueSerde: stringSerde, repartitionRequired: false, groupedName: undefined }, {}, longSerde);
    aggregation.enableSendingOldValues();
    aggregation.node.writeTo(topology);
    topology.addProcessor('changes', recordChanges, aggregation.node.processorName);
    driver = new TopologyTestDriver(topology, CONFIG);
    const input = driver.createInputTopic('lines', stringSerde, stringSerde);
    await input.pipeInput('k', 'x');
    await input.pipeInput('k', 'y');
    expect(seen).toEqual(['k 1/null', 'k 2/1']);
  });
});
