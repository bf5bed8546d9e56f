/**
 * CQRS read model: the write side emits order events keyed by order id; the read side keeps, per
 * customer, the number and total of their open orders — the query "what does this customer have
 * open" served from the store `open-orders-by-customer`. An order that changes customer or is
 * closed moves out of the old total (KGroupedTable subtract-then-add).
 *
 * Property tests (test/examples/cqrs-read-model.prop.test.ts): the read model equals a query over
 * the latest state of every order, for any partition count and across restarts.
 */
import { Consumed, Grouped, Materialized, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';

export interface OrderState { readonly customerId: string; readonly cents: number; readonly open: boolean }
export interface OpenOrders { readonly count: number; readonly cents: number }

export const TOPICS = { orders: 'order-state' } as const;
export const READ_MODEL_STORE = 'open-orders-by-customer';

export function buildCqrsReadModelTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .table<string, OrderState>(TOPICS.orders, Consumed.with(Serdes.String(), Serdes.Json<OrderState>()))
    .filter((_id, order) => order.open)
    .groupBy((_orderId, order) => [order.customerId, order.cents], Grouped.with(Serdes.String(), Serdes.Long()))
    .aggregate<OpenOrders>(
      () => ({ count: 0, cents: 0 }),
      (_customer, cents, total) => ({ count: total.count + 1, cents: total.cents + cents }),
      (_customer, cents, total) => ({ count: total.count - 1, cents: total.cents - cents }),
      Materialized.as<string, OpenOrders>(READ_MODEL_STORE).withValueSerde(Serdes.Json<OpenOrders>()),
    );
  return builder.build();
}

export default function cqrsReadModelApp() {
  return { applicationId: 'cqrs-read-model', topology: buildCqrsReadModelTopology() };
}
