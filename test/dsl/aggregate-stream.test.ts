import { afterEach, describe, expect, it } from 'vitest';
import { setLogLevel, setLogSink } from '../../src/common/index.ts';
import { streamAggregateProcessor } from '../../src/dsl/processors/aggregate-stream.ts';
import { streamReduceProcessor } from '../../src/dsl/processors/reduce-stream.ts';
import { Stores } from '../../src/state/index.ts';
import type { TimestampedKeyValueStore } from '../../src/state/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { runWithCache } from './support/cached-task.ts';
import { toStream, wordsOfLine } from './support/table-processors.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

const NO_CACHE = { 'application.id': 'agg', 'statestore.cache.max.bytes': 0 };
const CACHE_BYTES = 10 * 1024 * 1024;

let driver: TopologyTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** lines → words → count per word (aggregate with 0 and +1, as KGroupedStream.count does) → counts. */
function wordCountTopology(): Topology {
  return new Topology()
    .addSource({ name: 'source', topics: ['lines'], keySerde: stringSerde, valueSerde: stringSerde })
    .addProcessor('words', wordsOfLine, 'source')
    .addProcessor('count', streamAggregateProcessor<string, string, number>('counts', () => 0, (_k, _v, n) => n + 1), 'words')
    .addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), stringSerde, longSerde).withCachingEnabled(), 'count')
    .addProcessor('to-stream', toStream, 'count')
    .addSink({ name: 'sink', topic: 'counts', keySerde: stringSerde, valueSerde: longSerde }, 'to-stream');
}

async function countWords(config: { [key: string]: unknown }, lines: string[]) {
  driver = new TopologyTestDriver(wordCountTopology(), config);
  const input = driver.createInputTopic('lines', stringSerde, stringSerde);
  for (const line of lines) await input.pipeInput(null, line);
  return driver.createOutputTopic('counts', stringSerde, longSerde).readKeyValuesToList();
}

const KAFKA_DOC_LINES = ['all streams lead to kafka', 'hello kafka streams', 'join kafka summit'];

describe('stream aggregation (KGroupedStream.count / aggregate)', () => {
  it('with caching off emits every update, as the Kafka Streams word-count walkthrough shows', async () => {
    const counts = await countWords(NO_CACHE, KAFKA_DOC_LINES);
    expect(counts.map(({ key, value }) => `${key} ${value}`)).toEqual([
      'all 1', 'streams 1', 'lead 1', 'to 1', 'kafka 1',
      'hello 1', 'kafka 2', 'streams 2',
      'join 1', 'kafka 3', 'summit 1',
    ]);
  });

  it('with caching on emits one update per word per commit, so repeated words of one line collapse', async () => {
    const lines = ['kafka kafka streams', 'streams lead to kafka kafka', 'kafka'];
    const records = lines.map((value, i) => ({ key: null, value, timestamp: i }));
    const sent = await runWithCache(wordCountTopology(), CACHE_BYTES, { topic: 'lines', keySerde: stringSerde, valueSerde: stringSerde, records });
    const counts = sent.filter((r) => r.topic === 'counts').map((r) => `${r.key?.toString()} ${longSerde.deserialize('counts', r.value)}`);
    // Within one commit the cache flushes each key once, in the order the keys were last written.
    expect(counts).toEqual(['kafka 2', 'streams 1', 'streams 2', 'lead 1', 'to 1', 'kafka 4', 'kafka 5']);
  });

  it('keeps the count in its store, readable through the driver', async () => {
    await countWords(NO_CACHE, KAFKA_DOC_LINES);
    const store = driver?.getStateStore<TimestampedKeyValueStore<string, number>>('counts');
    expect(store?.get('kafka')?.value).toBe(3);
    expect(store?.get('absent')).toBeNull();
  });
});

describe('null keys and values', () => {
  function sumTopology(): Topology {
    return new Topology()
      .addSource({ name: 'source', topics: ['amounts'], keySerde: stringSerde, valueSerde: longSerde })
      .addProcessor('sum', streamAggregateProcessor<string, number, number>('sums', () => 0, (_k, v, sum) => sum + v), 'source')
      .addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('sums'), stringSerde, longSerde), 'sum')
      .addProcessor('to-stream', toStream, 'sum')
      .addSink({ name: 'sink', topic: 'sums', keySerde: stringSerde, valueSerde: longSerde }, 'to-stream');
  }

  it('aggregate skips records with a null key or a null value, warns where they were, and keeps going', async () => {
    const warnings: string[] = [];
    const previousSink = setLogSink((level, _component, message) => { if (level === 'warn') warnings.push(message); });
    setLogLevel('warn');
    try {
      driver = new TopologyTestDriver(sumTopology(), NO_CACHE);
      const input = driver.createInputTopic('amounts', stringSerde, longSerde);
      await input.pipeInput('a', 5, 1);
      await input.pipeInput(null, 7, 2);
      await input.pipeInput('a', null, 3);
      await input.pipeInput('a', 2, 4);
    } finally {
      setLogSink(previousSink);
      setLogLevel('info');
    }
    const sums = driver.createOutputTopic('sums', stringSerde, longSerde).readKeyValuesToList();
    expect(sums).toEqual([{ key: 'a', value: 5 }, { key: 'a', value: 7 }]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/store "sums".*topic "amounts" partition 0 offset 1/);
    expect(warnings[1]).toMatch(/offset 2/);
  });

  it('reduce skips them too, and starts each key from its first value', async () => {
    driver = new TopologyTestDriver(
      new Topology()
        .addSource({ name: 'source', topics: ['amounts'], keySerde: stringSerde, valueSerde: longSerde })
        .addProcessor('max', streamReduceProcessor<string, number>('maxima', (a, b) => Math.max(a, b)), 'source')
        .addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('maxima'), stringSerde, longSerde), 'max')
        .addProcessor('to-stream', toStream, 'max')
        .addSink({ name: 'sink', topic: 'maxima', keySerde: stringSerde, valueSerde: longSerde }, 'to-stream'),
      NO_CACHE,
    );
    const input = driver.createInputTopic('amounts', stringSerde, longSerde);
    await input.pipeInput('a', -4, 1);
    await input.pipeInput(null, 100, 2);
    await input.pipeInput('a', null, 3);
    await input.pipeInput('a', -9, 4);
    await input.pipeInput('a', 3, 5);
    const maxima = driver.createOutputTopic('maxima', stringSerde, longSerde).readKeyValuesToList();
    expect(maxima).toEqual([{ key: 'a', value: -4 }, { key: 'a', value: -4 }, { key: 'a', value: 3 }]);
  });
});

describe('output timestamps', () => {
  it('an aggregate carries the largest timestamp of the records folded into it, also when one arrives late', async () => {
    driver = new TopologyTestDriver(wordCountTopology(), NO_CACHE);
    const input = driver.createInputTopic('lines', stringSerde, stringSerde);
    await input.pipeInput(null, 'kafka', 100);
    await input.pipeInput(null, 'kafka', 50);
    await input.pipeInput(null, 'streams', 60);
    await input.pipeInput(null, 'kafka', 200);
    const records = driver.createOutputTopic('counts', stringSerde, longSerde).readRecordsToList();
    expect(records.map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['kafka', 1, 100], ['kafka', 2, 100], ['streams', 1, 60], ['kafka', 3, 200],
    ]);
  });
});
