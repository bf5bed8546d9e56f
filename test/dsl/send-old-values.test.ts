import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/dsl/change.ts';
import { streamAggregateProcessor } from '../../src/dsl/processors/aggregate-stream.ts';
import { streamReduceProcessor } from '../../src/dsl/processors/reduce-stream.ts';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../../src/processor/index.ts';
import { Stores } from '../../src/state/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { runWithCache } from './support/cached-task.ts';
import { Serdes } from '../../src/serde/index.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

let driver: TopologyTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** Writes each change as "new/old" so a test can see both halves. */
const showChange = (): Processor<string, Change<number>, string, string> => {
  let context: ProcessorContext<string, string>;
  return {
    init: (c) => { context = c; },
    process: (record) => context.forward(record.withValue(`${record.value.newValue}/${record.value.oldValue}`)),
  };
};

function changesTopology(aggregation: ProcessorSupplier<string, number, string, Change<number>>): Topology {
  return new Topology()
    .addSource({ name: 'source', topics: ['in'], keySerde: stringSerde, valueSerde: longSerde })
    .addProcessor('agg', aggregation, 'source')
    .addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('store'), stringSerde, longSerde).withCachingEnabled(), 'agg')
    .addProcessor('show', showChange, 'agg')
    .addSink({ name: 'sink', topic: 'changes', keySerde: stringSerde, valueSerde: stringSerde }, 'show');
}

const sum = (sendOldValues: boolean) =>
  streamAggregateProcessor<string, number, number>('store', () => 0, (_k, v, total) => total + v, () => sendOldValues);

describe('old values for downstream KTable operators', () => {
  it('are sent only when downstream asked for them', async () => {
    for (const [sendOld, expected] of [[true, ['1/null', '3/1']], [false, ['1/null', '3/null']]] as const) {
      driver = new TopologyTestDriver(changesTopology(sum(sendOld)), { 'application.id': 'old', 'statestore.cache.max.bytes': 0 });
      const input = driver.createInputTopic('in', stringSerde, longSerde);
      await input.pipeInput('k', 1, 1);
      await input.pipeInput('k', 2, 2);
      expect(driver.createOutputTopic('changes', stringSerde, stringSerde).readValuesToList()).toEqual(expected);
      await driver.close();
      driver = undefined;
    }
  });

  it('reduce sends the previous aggregate as the old value', async () => {
    driver = new TopologyTestDriver(
      changesTopology(streamReduceProcessor<string, number>('store', (a, b) => a * b, () => true)),
      { 'application.id': 'old', 'statestore.cache.max.bytes': 0 },
    );
    const input = driver.createInputTopic('in', stringSerde, longSerde);
    await input.pipeInput('k', 2, 1);
    await input.pipeInput('k', 5, 2);
    expect(driver.createOutputTopic('changes', stringSerde, stringSerde).readValuesToList()).toEqual(['2/null', '10/2']);
  });

  it('with caching on, the old value is the one flushed at the previous commit, and the timestamp that of the last write', async () => {
    const records = [
      { key: 'k', value: 1, timestamp: 10 },
      { key: 'k', value: 2, timestamp: 5 },
    ];
    const sent = await runWithCache(changesTopology(sum(true)), 1024 * 1024, { topic: 'in', keySerde: stringSerde, valueSerde: longSerde, records });
    expect(sent.filter((r) => r.topic === 'changes').map((r) => [r.value?.toString(), r.timestamp])).toEqual([['1/null', 10], ['3/1', 10]]);
  });
});
