import { describe, expect, it } from 'vitest';
import { Consumed, StreamsBuilder } from '../../../src/dsl/index.ts';
import { Serdes } from '../../../src/serde/index.ts';
import { TopologyTestDriver } from '../../../src/testing/index.ts';

// Orders `orderId → "customerId:item"` joined with customers `customerId → name`.
const customerOf = (order: string) => order.split(':')[0]!;
const enrich = (order: string, name: string | null) => `${order.split(':')[1]} for ${name}`;

type Step = readonly ['orders' | 'customers', string, string | null];

/** What the join emitted after each step, as `key=value`. */
async function emitted(leftJoin: boolean, steps: readonly Step[], cacheBytes: number): Promise<string[][]> {
  const builder = new StreamsBuilder();
  const strings = Consumed.with(Serdes.String(), Serdes.String());
  const orders = builder.table('orders', strings);
  const customers = builder.table('customers', strings);
  (leftJoin ? orders.leftJoin(customers, customerOf, enrich) : orders.join(customers, customerOf, enrich)).toStream().to('output');
  const driver = new TopologyTestDriver(builder.build(), {
    'application.id': 'fk-tombstones', 'statestore.cache.max.bytes': cacheBytes, 'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String(),
  });
  try {
    const output = driver.createOutputTopic('output', Serdes.String(), Serdes.String());
    const perStep: string[][] = [];
    let time = 0;
    for (const [topic, key, value] of steps) {
      await driver.createInputTopic(topic, Serdes.String(), Serdes.String()).pipeInput(key, value, ++time);
      perStep.push((await output.readKeyValuesToList()).map(({ key: k, value: v }) => `${k}=${v}`));
    }
    return perStep;
  } finally {
    await driver.close();
  }
}

describe('foreign-key join: a delete of a right row that never existed', () => {
  const steps: Step[] = [['orders', 'o1', 'c9:pen'], ['orders', 'o2', 'c9:ink'], ['customers', 'c9', null]];

  it('answers every subscriber of the key in an inner join: a delete each', async () => {
    expect(await emitted(false, steps, 0)).toEqual([[], [], ['o1=null', 'o2=null']]);
  });

  it('answers every subscriber of the key in a left join: joined with null', async () => {
    expect(await emitted(true, steps, 0)).toEqual([['o1=pen for null'], ['o2=ink for null'], ['o1=pen for null', 'o2=ink for null']]);
  });

  it('reaches no subscriber through a cached right table, whose cache forwards no change for a delete of nothing (as Kafka\'s)', async () => {
    expect(await emitted(false, steps, 10 * 1024 * 1024)).toEqual([[], [], []]);
    expect((await emitted(true, steps, 10 * 1024 * 1024))[2]).toEqual([]);
  });
});
