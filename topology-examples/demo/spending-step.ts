/**
 * Step 4 of the demo: the per-user spending application (topology-examples/user-spending.ts) runs
 * as a KafkaStreams instance on the same log engine — one task per partition, its store backed by
 * a changelog — until every order is committed. The totals it wrote to `user-totals` are then read
 * back and checked against a plain sum of the orders.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaStreams, Serdes, type LogEngine } from 'kstreams';
import userSpendingApp, { ORDERS_TOPIC, TOTALS_TOPIC, type Order } from '../user-spending.ts';
import { Progress, formatCount, formatRate } from './progress.ts';

export async function runUserSpendingOverLog(log: LogEngine, partitions: number): Promise<void> {
  await log.createTopic(TOTALS_TOPIC, { partitions, config: { 'cleanup.policy': 'compact' } });
  const app = userSpendingApp();
  const stateDir = await mkdtemp(join(tmpdir(), 'kstreams-demo-state-'));
  const streams = new KafkaStreams(app.topology, { 'application.id': app.applicationId, 'state.dir': stateDir, 'commit.interval.ms': 200 }, { engine: log });
  let total = 0;
  for (let partition = 0; partition < partitions; partition++) total += (await log.listOffsets(ORDERS_TOPIC, partition)).latest;

  const progress = new Progress('      committed', total);
  const started = performance.now();
  await streams.start();
  try {
    for (let committed = 0; committed < total; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = (await log.fetchOffsets(app.applicationId)).filter((c) => c.topic === ORDERS_TOPIC).reduce((sum, c) => sum + c.offset, 0);
      progress.advance(now - committed);
      committed = now;
      if (streams.state === 'ERROR') throw new Error('the streams application failed; see the log above');
    }
  } finally {
    await streams.close();
    await rm(stateDir, { recursive: true, force: true });
  }
  progress.done(`${formatRate(total, (performance.now() - started) / 1000)} orders/s through ${partitions} tasks, all committed`);

  const totals = await latestValues(log, TOTALS_TOPIC, partitions);
  const expected = await directSums(log, partitions);
  const mismatches = [...expected].filter(([user, cents]) => totals.get(user) !== cents).length;
  const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`      ${formatCount(totals.size)} users; top spenders:`);
  for (const [user, cents] of top) console.log(`        ${user}  ${(cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' })}`);
  if (mismatches > 0 || totals.size !== expected.size) throw new Error(`the application's totals differ from a direct sum for ${mismatches} users`);
  console.log(`      every total in '${TOTALS_TOPIC}' matches a direct sum of the orders`);
}

/** The last value of every key in a topic, as a reader of a changelog ends up with. */
async function latestValues(log: LogEngine, topic: string, partitions: number): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  for (let partition = 0; partition < partitions; partition++) {
    for await (const record of records(log, topic, partition)) values.set(record.key!.toString(), Serdes.Long().deserialize(topic, record.value)!);
  }
  return values;
}

async function directSums(log: LogEngine, partitions: number): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  for (let partition = 0; partition < partitions; partition++) {
    for await (const record of records(log, ORDERS_TOPIC, partition)) {
      const order = JSON.parse(record.value!.toString('utf8')) as Order;
      sums.set(order.user, (sums.get(order.user) ?? 0) + order.amountCents);
    }
  }
  return sums;
}

async function* records(log: LogEngine, topic: string, partition: number) {
  const { earliest, latest } = await log.listOffsets(topic, partition);
  for (let offset = earliest; offset < latest; ) {
    const page = await log.fetch(topic, partition, offset, { maxBytes: 1 << 20 });
    if (page.length === 0) return;
    yield* page;
    offset = page[page.length - 1]!.offset + 1;
  }
}
