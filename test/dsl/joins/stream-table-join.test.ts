import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Consumed, StreamsBuilder } from '../../../src/dsl/index.ts';
import { Serdes } from '../../../src/serde/index.ts';
import { TopologyTestDriver } from '../../../src/testing/index.ts';

const strings = Consumed.with(Serdes.String(), Serdes.String());
const CONFIG = { 'application.id': 'st', 'statestore.cache.max.bytes': 0, 'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String() };

describe('stream-table join', () => {
  it('equals a lookup of the table as it is at each stream record, for any interleaving', async () => {
    const event = fc.record({ topic: fc.constantFrom('clicks', 'users'), key: fc.constantFrom('u1', 'u2', 'u3'), value: fc.option(fc.constantFrom('a', 'b', 'c'), { freq: 4 }) });
    await fc.assert(fc.asyncProperty(fc.array(event, { maxLength: 30 }), fc.boolean(), async (events, leftJoin) => {
      const builder = new StreamsBuilder();
      const clicks = builder.stream('clicks', strings);
      const users = builder.table('users', strings);
      (leftJoin ? clicks.leftJoin(users, (click, user) => `${click}/${user}`) : clicks.join(users, (click, user) => `${click}/${user}`)).to('output');
      const driver = new TopologyTestDriver(builder.build(), CONFIG);
      const inputs = { clicks: driver.createInputTopic('clicks', Serdes.String(), Serdes.String()), users: driver.createInputTopic('users', Serdes.String(), Serdes.String()) };
      const table = new Map<string, string>();
      const expected: string[] = [];
      let time = 0;
      for (const { topic, key, value } of events) {
        await inputs[topic].pipeInput(key, value, ++time);
        if (topic === 'users') {
          if (value === null) table.delete(key);
          else table.set(key, value);
        } else if (value !== null) {
          const user = table.get(key) ?? null;
          if (user !== null || leftJoin) expected.push(`${key}=${value}/${user}@${time}`);
        }
      }
      const actual = (await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readRecordsToList()).map((r) => `${r.key}=${r.value}@${r.timestamp}`);
      await driver.close();
      expect(actual).toEqual(expected);
    }), { numRuns: 80, seed: 9 });
  }, 60_000);

  it('repartitions a stream whose key changed before joining', async () => {
    const builder = new StreamsBuilder();
    const users = builder.table('users', strings);
    builder.stream('clicks', strings).selectKey((_key, value) => value.split(':')[0]!).join(users, (click, user) => `${click} by ${user}`).to('output');
    const topology = builder.build();
    expect(topology.describe().toString()).toContain('KSTREAM-KEY-SELECT-0000000004-repartition');
    const driver = new TopologyTestDriver(topology, CONFIG);
    await driver.createInputTopic('users', Serdes.String(), Serdes.String()).pipeInput('u1', 'Ann', 1);
    await driver.createInputTopic('clicks', Serdes.String(), Serdes.String()).pipeInput('x', 'u1:home', 2);
    expect(await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readKeyValuesToList()).toEqual([{ key: 'u1', value: 'u1:home by Ann' }]);
    await driver.close();
  });
});

describe('stream-global-table join', () => {
  it('looks up the key the mapper picks, in the whole global table', async () => {
    const builder = new StreamsBuilder();
    const products = builder.globalTable('products', strings);
    const orders = builder.stream('orders', strings);
    orders.join(products, (_orderId, order) => order.split(':')[0]!, (order, product) => `${order} = ${product}`).to('output');
    orders.leftJoin(products, (_orderId, order) => order.split(':')[0]!, (order, product) => `${order} = ${product}`).to('output-left');
    const driver = new TopologyTestDriver(builder.build(), CONFIG);
    await driver.createInputTopic('products', Serdes.String(), Serdes.String()).pipeInput('p1', 'pencil', 1);
    const input = driver.createInputTopic('orders', Serdes.String(), Serdes.String());
    await input.pipeInput('o1', 'p1:2', 2);
    await input.pipeInput('o2', 'p9:1', 3);
    expect(await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readKeyValuesToList()).toEqual([{ key: 'o1', value: 'p1:2 = pencil' }]);
    expect(await driver.createOutputTopic('output-left', Serdes.String(), Serdes.String()).readKeyValuesToList())
      .toEqual([{ key: 'o1', value: 'p1:2 = pencil' }, { key: 'o2', value: 'p9:1 = null' }]);
    await driver.close();
  });
});
