import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildWordCountTopology, countWords } from '../../topology-examples/word-count.ts';

const NO_CACHE = { 'statestore.cache.max.bytes': 0 };

/** What Kafka Streams' WordCountDemo prints for `topology.describe()` (store "counts-store"). */
const KAFKA_WORD_COUNT_DESCRIBE = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> counts-store-repartition-filter
      <-- KSTREAM-FLATMAPVALUES-0000000001
    Processor: counts-store-repartition-filter (stores: [])
      --> counts-store-repartition-sink
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: counts-store-repartition-sink (topic: counts-store-repartition)
      <-- counts-store-repartition-filter

  Sub-topology: 1
    Source: counts-store-repartition-source (topics: [counts-store-repartition])
      --> KSTREAM-AGGREGATE-0000000003
    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])
      --> KTABLE-TOSTREAM-0000000007
      <-- counts-store-repartition-source
    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])
      --> KSTREAM-SINK-0000000008
      <-- KSTREAM-AGGREGATE-0000000003
    Sink: KSTREAM-SINK-0000000008 (topic: streams-wordcount-output)
      <-- KTABLE-TOSTREAM-0000000007

`;

describe('word-count example', () => {
  it('describes itself exactly as Kafka Streams describes the same program', () => {
    expect(buildWordCountTopology().describe().toString()).toBe(KAFKA_WORD_COUNT_DESCRIBE);
  });

  it('with caching off emits the sequence of the Kafka Streams word-count walkthrough', async () => {
    const counts = await countWords(['all streams lead to kafka', 'hello kafka streams', 'join kafka summit'], NO_CACHE);
    expect(counts.map(({ key, value }) => `${key} ${value}`)).toEqual([
      'all 1', 'streams 1', 'lead 1', 'to 1', 'kafka 1',
      'hello 1', 'kafka 2', 'streams 2',
      'join 1', 'kafka 3', 'summit 1',
    ]);
  });

  it('with caching on (the default) still emits every update, because each word crosses the repartition topic and the driver commits after every record it processes, as Kafka\'s driver does', async () => {
    const lines = ['kafka kafka streams', 'kafka'];
    const cached = await countWords(lines);
    expect(cached).toEqual(await countWords(lines, NO_CACHE));
    expect(cached.map(({ key, value }) => `${key} ${value}`)).toEqual(['kafka 1', 'kafka 2', 'streams 1', 'kafka 3']);
  });

  it('ignores case and punctuation, and skips empty lines', async () => {
    const counts = await countWords(['Kafka, kafka!', '', '  KAFKA  '], NO_CACHE);
    expect(counts.map(({ key, value }) => `${key} ${value}`)).toEqual(['kafka 1', 'kafka 2', 'kafka 3']);
  });

  it('the last count of every word equals the number of times it occurs, for any text', async () => {
    const words = fc.constantFrom('kafka', 'streams', 'table', 'state', 'join');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(words, { maxLength: 6 }).map((ws) => ws.join(' ')), { maxLength: 12 }), async (lines) => {
        const latest = new Map<string | null, number | null>();
        for (const { key, value } of await countWords(lines, NO_CACHE)) latest.set(key, value);
        const expected = new Map<string, number>();
        for (const word of lines.flatMap((line) => line.split(' ')).filter((w) => w.length > 0)) expected.set(word, (expected.get(word) ?? 0) + 1);
        expect(latest).toEqual(expected);
      }),
      { seed: 1124, numRuns: 30 },
    );
  });
});
