import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Consumed, Materialized, StreamsBuilder } from '../../../src/dsl/index.ts';
import { Serdes } from '../../../src/serde/index.ts';
import { TopologyTestDriver } from '../../../src/testing/index.ts';

// Orders `orderId → "customerId:item"` joined with customers `customerId → name` on the customer id.
const customerOf = (order: string) => order.split(':')[0] ?? null;
const enrich = (order: string, name: string | null) => `${order.split(':')[1]} for ${name}`;

function topology(leftJoin: boolean) {
  const builder = new StreamsBuilder();
  const strings = Consumed.with(Serdes.String(), Serdes.String());
  const orders = builder.table('orders', strings, Materialized.as('orders-store'));
  const customers = builder.table('customers', strings, Materialized.as('customers-store'));
  const joined = leftJoin
    ? orders.leftJoin(customers, customerOf, enrich, Materialized.as<string, string>('enriched').withValueSerde(Serdes.String()))
    : orders.join(customers, customerOf, enrich, Materialized.as<string, string>('enriched').withValueSerde(Serdes.String()));
  joined.toStream().to('output');
  return builder.build();
}

type Step = readonly ['orders' | 'customers', string, string | null];

async function run(leftJoin: boolean, steps: readonly Step[]) {
  const driver = new TopologyTestDriver(topology(leftJoin), {
    'application.id': 'fk', 'statestore.cache.max.bytes': 0, 'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String(),
  });
  const inputs = { orders: driver.createInputTopic('orders', Serdes.String(), Serdes.String()), customers: driver.createInputTopic('customers', Serdes.String(), Serdes.String()) };
  const output = driver.createOutputTopic('output', Serdes.String(), Serdes.String());
  const perStep: string[][] = [];
  let time = 0;
  for (const [topic, key, value] of steps) {
    await inputs[topic].pipeInput(key, value, ++time);
    perStep.push((await output.readKeyValuesToList()).map(({ key: k, value: v }) => `${k}=${v}`));
  }
  const final = new Map<string, string>();
  for (const { key, value } of driver.getKeyValueStore<string, string>('enriched')!.all()) final.set(key, value);
  await driver.close();
  return { perStep, final };
}

describe('foreign-key table join', () => {
  it('inner: joins when both rows exist, follows right updates, foreign-key changes and deletes', async () => {
    const { perStep } = await run(false, [
      ['orders', 'o1', 'c1:book'], // no customer c1 yet: nothing
      ['customers', 'c1', 'Ann'],
      ['orders', 'o2', 'c1:pen'],
      ['customers', 'c1', 'Anne'], // both orders follow the customer
      ['orders', 'o1', 'c2:book'], // moves to a customer that does not exist: the result row goes
      ['customers', 'c2', 'Bob'],
      ['customers', 'c1', 'Annie'], // o1 no longer refers to c1
      ['orders', 'o2', null], // order deleted
      ['customers', 'c2', null], // customer deleted
    ]);
    expect(perStep).toEqual([
      [], ['o1=book for Ann'], ['o2=pen for Ann'], ['o1=book for Anne', 'o2=pen for Anne'], ['o1=null'], ['o1=book for Bob'],
      ['o2=pen for Annie'], ['o2=null'], ['o1=null'],
    ]);
  });

  it('left: every order is in the result, with a null customer while there is none', async () => {
    const { perStep } = await run(true, [
      ['orders', 'o1', 'c1:book'],
      ['customers', 'c1', 'Ann'],
      ['customers', 'c1', null],
      ['orders', 'o1', 'c9:book'],
      ['orders', 'o1', null],
    ]);
    expect(perStep).toEqual([['o1=book for null'], ['o1=book for Ann'], ['o1=book for null'], ['o1=book for null'], ['o1=null']]);
  });

  it('final result equals a join of the final tables, for any sequence of updates', async () => {
    const step = fc.oneof(
      fc.tuple(fc.constant('orders' as const), fc.constantFrom('o1', 'o2', 'o3'), fc.option(fc.tuple(fc.constantFrom('c1', 'c2', 'c3'), fc.constantFrom('x', 'y')).map(([c, i]) => `${c}:${i}`))),
      fc.tuple(fc.constant('customers' as const), fc.constantFrom('c1', 'c2', 'c3'), fc.option(fc.constantFrom('A', 'B', 'C'))),
    );
    for (const leftJoin of [false, true]) {
      await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const { final } = await run(leftJoin, steps);
        const orders = new Map<string, string>();
        const customers = new Map<string, string>();
        for (const [topic, key, value] of steps) {
          const table = topic === 'orders' ? orders : customers;
          if (value === null) table.delete(key);
          else table.set(key, value);
        }
        const expected = new Map<string, string>();
        for (const [orderId, order] of orders) {
          const name = customers.get(customerOf(order)!) ?? null;
          if (name !== null || leftJoin) expected.set(orderId, enrich(order, name));
        }
        expect(final).toEqual(expected);
      }), { numRuns: 60, seed: 3 });
    }
  }, 60_000);
});
