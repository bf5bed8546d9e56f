import { describe, expect, it } from 'vitest';
import { Consumed, Grouped, Materialized, StreamsBuilder } from '../../src/dsl/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';

const strings = Consumed.with(Serdes.String(), Serdes.String());

/** Word count: words are re-keyed, so they go through a repartition topic to the partition of the word. */
function wordCount() {
  const builder = new StreamsBuilder();
  builder.stream('lines', strings).flatMapValues((line) => line.split(' '))
    .groupBy((_k, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
    .count(Materialized.as('counts'));
  return builder.build();
}

describe('TopologyTestDriver with several partitions', () => {
  it('runs a task per partition, routes input by key and repartitioned records by their sink', async () => {
    const driver = new TopologyTestDriver(wordCount(), { 'application.id': 'wc' }, { partitions: 3 });
    const input = driver.createInputTopic('lines', Serdes.String(), Serdes.String());
    for (const [key, line] of [['a', 'x y'], ['b', 'x z'], ['c', 'y x'], ['d', 'z']]) await input.pipeInput(key!, line!);
    expect(driver.getStateStores('counts')).toHaveLength(3);
    const counts = new Map(driver.keyValueStoreEntries<string, number>('counts')!.map(({ key, value }) => [key, value]));
    expect(counts).toEqual(new Map([['x', 3], ['y', 2], ['z', 2]]));
    await driver.close();
  });

  it('restores a new driver from a closed one\'s changelogs, as a restart does', async () => {
    const first = new TopologyTestDriver(wordCount(), { 'application.id': 'wc' }, { partitions: 2 });
    await first.createInputTopic('lines', Serdes.String(), Serdes.String()).pipeInput('a', 'x y x');
    await first.close();
    const second = new TopologyTestDriver(wordCount(), { 'application.id': 'wc' }, { partitions: 2, restoreFrom: first });
    await second.createInputTopic('lines', Serdes.String(), Serdes.String()).pipeInput('b', 'x');
    const counts = new Map(second.keyValueStoreEntries<string, number>('counts')!.map(({ key, value }) => [key, value]));
    expect(counts).toEqual(new Map([['x', 3], ['y', 1]]));
    await second.close();
  });

  it('refuses a partition count below one', () => {
    expect(() => new TopologyTestDriver(wordCount(), {}, { partitions: 0 })).toThrow(/partitions must be a whole number >= 1/);
  });
});
