/**
 * Step 4 of the demo: per-user spending totals computed by a kstreams topology over the orders
 * stored in the log engine, written back to a compacted `user-totals` topic (one live record per
 * user, as a changelog should be) and checked against a plain sum of the input.
 */
import { Serdes, type LogEngine } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';
import { ORDERS_TOPIC, TOTALS_STORE, TOTALS_TOPIC, buildUserSpendingTopology, type Order } from '../user-spending.ts';
import { Progress, formatCount, formatRate } from './progress.ts';

export async function runUserSpendingOverLog(log: LogEngine, partitions: number): Promise<void> {
  const driver = new TopologyTestDriver(buildUserSpendingTopology(), { 'application.id': 'kstreams-demo' });
  const input = driver.createInputTopic(ORDERS_TOPIC, Serdes.Bytes(), Serdes.Bytes());
  const totalsOut = driver.createOutputTopic(TOTALS_TOPIC, Serdes.String(), Serdes.Long());
  const expected = new Map<string, number>();
  let count = 0;
  for (let partition = 0; partition < partitions; partition++) count += (await log.listOffsets('orders', partition)).latest;

  const progress = new Progress('      processed', count);
  const started = performance.now();
  for (let partition = 0; partition < partitions; partition++) {
    const { earliest, latest } = await log.listOffsets('orders', partition);
    for (let offset = earliest; offset < latest; ) {
      const records = await log.fetch('orders', partition, offset, { maxBytes: 1 << 20 });
      for (const record of records) {
        await input.pipeInput(record.key, record.value, record.timestamp);
        const order = JSON.parse(record.value!.toString('utf8')) as Order;
        expected.set(order.user, (expected.get(order.user) ?? 0) + order.amountCents);
      }
      progress.advance(records.length);
      offset = records[records.length - 1]!.offset + 1;
    }
  }
  progress.done(`${formatRate(count, (performance.now() - started) / 1000)} records/s through the topology`);

  const totals = totalsOut.readKeyValuesToMap() as Map<string, number>;
  const stored = driver.getKeyValueStore<string, number>(TOTALS_STORE)!;
  const storeAgrees = [...totals].every(([user, cents]) => stored.get(user) === cents);
  await driver.close();

  await log.createTopic('user-totals', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
  await log.produce(
    'user-totals',
    [...totals].map(([user, cents]) => ({ key: Buffer.from(user), value: Serdes.Long().serialize('user-totals', cents), timestamp: Date.now(), headers: [] })),
  );

  const mismatches = [...expected].filter(([user, cents]) => totals.get(user) !== cents).length;
  const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`      ${formatCount(totals.size)} users; top spenders:`);
  for (const [user, cents] of top) console.log(`        ${user}  ${(cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' })}`);
  console.log(`      wrote ${formatCount(totals.size)} totals to the compacted topic 'user-totals'`);
  if (mismatches > 0 || totals.size !== expected.size || !storeAgrees) {
    throw new Error(`the topology's totals differ from a direct sum for ${mismatches} users`);
  }
  console.log('      every total matches a direct sum of the orders');
}
