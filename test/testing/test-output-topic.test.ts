import { describe, expect, it } from 'vitest';
import { Serdes } from '../../src/serde/index.ts';
import type { Serde } from '../../src/serde/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';

const strings = Serdes.String();

/** Reads strings, but refuses the value "bad", as a serde that does not match the topic's data would. */
const picky: Serde<string> = {
  serialize: (topic, data) => strings.serialize(topic, data),
  deserialize: (topic, data) => {
    const text = strings.deserialize(topic, data);
    if (text === 'bad') throw new Error('cannot read "bad"');
    return text;
  },
};

async function driverWith(values: string[]): Promise<TopologyTestDriver> {
  const driver = new TopologyTestDriver(new Topology().addSource('source', 'in').addSink('sink', 'out', 'source'), {
    'application.id': 'out-topic', 'default.key.serde': strings, 'default.value.serde': strings,
  });
  await driver.createInputTopic('in', strings, strings).pipeValueList(values);
  return driver;
}

describe('TestOutputTopic list readers', () => {
  for (const reader of ['readValuesToList', 'readKeyValuesToList', 'readRecordsToList'] as const) {
    it(`${reader} consumes up to a record it cannot deserialize, that one included, as reading one by one does`, async () => {
      const driver = await driverWith(['a', 'b', 'bad', 'c', 'd']);
      const output = driver.createOutputTopic('out', strings, picky);
      expect(() => output[reader]()).toThrow('cannot read "bad"');
      expect(output.getQueueSize()).toBe(2);
      expect(output.readValuesToList()).toEqual(['c', 'd']);
      expect(output.isEmpty()).toBe(true);
      await driver.close();
    });
  }

  it('give timestamps and headers with readRecordsToList, and share the queue with other handles', async () => {
    const driver = await driverWith(['a', 'b', 'c']);
    const first = driver.createOutputTopic('out', strings, strings);
    const second = driver.createOutputTopic('out', strings, strings);
    expect(first.readValue()).toBe('a');
    expect(second.readRecordsToList()).toEqual([
      { key: null, value: 'b', timestamp: 0, headers: [] },
      { key: null, value: 'c', timestamp: 0, headers: [] },
    ]);
    expect(first.readKeyValuesToList()).toEqual([]);
    await driver.close();
  });
});
