import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Serdes } from '../../src/serde/index.ts';
import type { TimestampedKeyValueStore } from '../../src/state/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { buildUserSpendingTopology, totalSpending } from '../../topology-examples/user-spending.ts';
import type { Order } from '../../topology-examples/user-spending.ts';

const order = (orderId: number, user: string, amountCents: number): Order => ({ orderId, user, item: 'item', amountCents });

describe('user-spending example', () => {
  it('emits each user’s running total, stamped with the time of the latest order', async () => {
    const driver = new TopologyTestDriver(buildUserSpendingTopology(), { 'application.id': 'spending', 'statestore.cache.max.bytes': 0 });
    try {
      const input = driver.createInputTopic('orders', Serdes.String(), Serdes.Json<Order>());
      await input.pipeInput('alice', order(1, 'alice', 1_250), 1_000);
      await input.pipeInput('bob', order(2, 'bob', 450), 2_000);
      await input.pipeInput('alice', order(3, 'alice', 3_999), 3_000);
      const totals = driver.createOutputTopic('user-totals', Serdes.String(), Serdes.Long()).readRecordsToList();
      expect(totals.map((r) => [r.key, r.value, r.timestamp])).toEqual([['alice', 1_250, 1_000], ['bob', 450, 2_000], ['alice', 5_249, 3_000]]);
    } finally {
      await driver.close();
    }
  });

  it('reads the total from the store it names', async () => {
    const driver = new TopologyTestDriver(buildUserSpendingTopology(), { 'application.id': 'spending' });
    try {
      const input = driver.createInputTopic('orders', Serdes.String(), Serdes.Json<Order>());
      await input.pipeInput('carol', order(1, 'carol', 600));
      await input.pipeInput('carol', order(2, 'carol', 400));
      const stored = driver.getStateStore<TimestampedKeyValueStore<string, number>>('spending-per-user');
      expect(stored?.get('carol')?.value).toBe(1_000);
    } finally {
      await driver.close();
    }
  });

  it('the final total of every user equals a direct sum of their orders, for any orders', async () => {
    const orders = fc.array(
      fc.record({ user: fc.constantFrom('u1', 'u2', 'u3', 'u4'), amountCents: fc.integer({ min: 0, max: 100_000 }) }),
      { maxLength: 30 },
    ).map((rows) => rows.map((row, orderId) => order(orderId, row.user, row.amountCents)));
    await fc.assert(
      fc.asyncProperty(orders, async (input) => {
        const expected = new Map<string, number>();
        for (const { user, amountCents } of input) expected.set(user, (expected.get(user) ?? 0) + amountCents);
        expect(await totalSpending(input, { 'statestore.cache.max.bytes': 0 })).toEqual(expected);
      }),
      { seed: 77, numRuns: 30 },
    );
  });
});
