/**
 * Per-user spending totals: orders keyed by user id (JSON values) are grouped by user and summed
 * with `aggregate` into the store `spending-per-user`; every new total goes to `user-totals`
 * (user id → cents, as a Long).
 *
 * Run it on sample orders in the test driver with `npx tsx topology-examples/user-spending.ts`
 * (it prints the topology and each user's final total), or as a standalone application with
 * `npx kstreams run topology-examples/user-spending.ts`.
 */
import { pathToFileURL } from 'node:url';
import { Consumed, Materialized, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';

/** An order as it sits in the `orders` topic (the user id is also the record key). */
export interface Order {
  readonly orderId: number;
  readonly user: string;
  readonly item: string;
  /** Price in cents, so totals add up exactly. */
  readonly amountCents: number;
}

export const ORDERS_TOPIC = 'orders';
export const TOTALS_TOPIC = 'user-totals';
export const TOTALS_STORE = 'spending-per-user';

/** orders → groupByKey → aggregate(0, total + amount) → user-totals. */
export function buildUserSpendingTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, Order>(ORDERS_TOPIC, Consumed.with(Serdes.String(), Serdes.Json<Order>()))
    .groupByKey()
    .aggregate(
      () => 0,
      (_user, order, total) => total + order.amountCents,
      Materialized.as<string, number>(TOTALS_STORE).withValueSerde(Serdes.Long()),
    )
    .toStream()
    .to(TOTALS_TOPIC, Produced.with(Serdes.String(), Serdes.Long()));
  return builder.build();
}

/** Runs `orders` through the topology in the test driver; returns the last total of each user. */
export async function totalSpending(orders: readonly Order[], config: { [key: string]: unknown } = {}): Promise<Map<string | null, number | null>> {
  const driver = new TopologyTestDriver(buildUserSpendingTopology(), { 'application.id': 'user-spending', ...config });
  try {
    const input = driver.createInputTopic(ORDERS_TOPIC, Serdes.String(), Serdes.Json<Order>());
    for (const order of orders) await input.pipeInput(order.user, order);
    return driver.createOutputTopic(TOTALS_TOPIC, Serdes.String(), Serdes.Long()).readKeyValuesToMap();
  } finally {
    await driver.close();
  }
}

/**
 * The application as `kstreams run topology-examples/user-spending.ts` starts it on the embedded
 * log engine (create the `orders` and `user-totals` topics first).
 */
export default function userSpendingApp() {
  return { applicationId: 'user-spending', topology: buildUserSpendingTopology() };
}

/** Prints the topology and the totals of a few sample orders. */
export async function main(): Promise<void> {
  const orders: Order[] = [
    { orderId: 1, user: 'alice', item: 'book', amountCents: 1_250 },
    { orderId: 2, user: 'bob', item: 'coffee', amountCents: 450 },
    { orderId: 3, user: 'alice', item: 'lamp', amountCents: 3_999 },
    { orderId: 4, user: 'carol', item: 'tea', amountCents: 600 },
    { orderId: 5, user: 'bob', item: 'mug', amountCents: 1_100 },
  ];
  console.log(buildUserSpendingTopology().describe().toString());
  for (const [user, cents] of await totalSpending(orders)) console.log(`${user}\t${((cents ?? 0) / 100).toFixed(2)}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
