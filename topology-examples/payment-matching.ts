/**
 * Payment-and-order matching: orders and payments (both keyed by order id) are matched when the
 * payment comes within 10 minutes of the order (a stream-stream left join). Matched pairs go to
 * `paid-orders`; an order still unpaid when its 10-minute window (plus 1 minute of grace for late
 * payments) has passed goes to `unpaid-order-alerts`, once — the left join emits an order without
 * a partner only after its window closed, never as a premature "unpaid" guess.
 *
 * Run it with `npx tsx topology-examples/payment-matching.ts` or `npx kstreams run topology-examples/payment-matching.ts`.
 */
import { pathToFileURL } from 'node:url';
import { Consumed, JoinWindows, Produced, Serdes, StreamJoined, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';

export interface Order { readonly amountCents: number }
export interface Payment { readonly amountCents: number; readonly method: string }
export interface Match { readonly order: Order; readonly payment: Payment | null }

export const TOPICS = { orders: 'orders', payments: 'payments', paid: 'paid-orders', alerts: 'unpaid-order-alerts' } as const;
export const MATCH_WINDOW = JoinWindows.ofTimeDifferenceAndGrace('PT10M', 'PT1M').before(0);

export function buildPaymentMatchingTopology(): Topology {
  const builder = new StreamsBuilder();
  const orders = builder.stream<string, Order>(TOPICS.orders, Consumed.with(Serdes.String(), Serdes.Json<Order>()));
  const payments = builder.stream<string, Payment>(TOPICS.payments, Consumed.with(Serdes.String(), Serdes.Json<Payment>()));
  const matched = orders.leftJoin(payments, (order, payment): Match => ({ order, payment }), MATCH_WINDOW,
    StreamJoined.with(Serdes.String(), Serdes.Json<Order>(), Serdes.Json<Payment>()).withStoreName('order-payment'));
  const [paid, unpaid] = [matched.filter((_id, m) => m.payment !== null), matched.filter((_id, m) => m.payment === null)];
  paid.to(TOPICS.paid, Produced.with(Serdes.String(), Serdes.Json<Match>()));
  unpaid.mapValues((m) => `order unpaid after 10 minutes: ${(m.order.amountCents / 100).toFixed(2)}`)
    .to(TOPICS.alerts, Produced.with(Serdes.String(), Serdes.String()));
  return builder.build();
}

/** Events in time order: an order or a payment for an order id, at a time (ms). */
export type Event = readonly ['order', string, Order, number] | readonly ['payment', string, Payment, number];

export async function matchPayments(events: readonly Event[]): Promise<{ paid: string[]; alerts: string[] }> {
  const driver = new TopologyTestDriver(buildPaymentMatchingTopology(), {
    'application.id': 'payment-matching', 'emit.interval.ms.kstreams.outer.join.spurious.results.fix': 0,
  });
  try {
    const orders = driver.createInputTopic(TOPICS.orders, Serdes.String(), Serdes.Json<Order>());
    const payments = driver.createInputTopic(TOPICS.payments, Serdes.String(), Serdes.Json<Payment>());
    for (const [kind, id, value, at] of events) {
      if (kind === 'order') await orders.pipeInput(id, value, at);
      else await payments.pipeInput(id, value, at);
    }
    const paid = (await driver.createOutputTopic(TOPICS.paid, Serdes.String(), Serdes.Json<Match>()).readKeyValuesToList()).map(({ key }) => key!);
    const alerts = (await driver.createOutputTopic(TOPICS.alerts, Serdes.String(), Serdes.String()).readKeyValuesToList()).map(({ key }) => key!);
    return { paid, alerts };
  } finally {
    await driver.close();
  }
}

export default function paymentMatchingApp() {
  return { applicationId: 'payment-matching', topology: buildPaymentMatchingTopology() };
}

export async function main(): Promise<void> {
  const minute = 60_000;
  const result = await matchPayments([
    ['order', 'o1', { amountCents: 1_999 }, 0],
    ['order', 'o2', { amountCents: 500 }, minute],
    ['payment', 'o1', { amountCents: 1_999, method: 'card' }, 4 * minute],
    ['order', 'o3', { amountCents: 750 }, 5 * minute],
    ['payment', 'o3', { amountCents: 750, method: 'card' }, 30 * minute], // too late for o3's window
  ]);
  console.log('paid:', result.paid.join(', '));
  console.log('unpaid alerts:', result.alerts.join(', '));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
