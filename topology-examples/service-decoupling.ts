/**
 * Service decoupling: one `order-events` stream fanned out to the services that act on it, so the
 * order service knows none of them. A placed order becomes an inventory reservation, a payment
 * request and a shipping request (each carrying only what that service needs); a cancelled order
 * becomes an inventory release. All keyed by order id.
 *
 * Property tests (test/examples/service-decoupling.prop.test.ts): every placed order reaches each
 * of the three services exactly once and every cancellation reaches inventory, for any input and
 * any partition count.
 */
import { Branched, Consumed, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';

export interface OrderEvent {
  readonly status: 'placed' | 'cancelled';
  readonly items: readonly string[];
  readonly amountCents: number;
  readonly address: string;
}

export const TOPICS = {
  orders: 'order-events',
  reservations: 'inventory-reservations',
  releases: 'inventory-releases',
  payments: 'payment-requests',
  shipping: 'shipping-requests',
} as const;

export function buildServiceDecouplingTopology(): Topology {
  const builder = new StreamsBuilder();
  const json = <T>() => Produced.with(Serdes.String(), Serdes.Json<T>());
  builder
    .stream<string, OrderEvent>(TOPICS.orders, Consumed.with(Serdes.String(), Serdes.Json<OrderEvent>()))
    .split()
    .branch((_id, order) => order.status === 'placed', Branched.withConsumer((placed) => {
      placed.mapValues((o) => ({ items: o.items })).to(TOPICS.reservations, json());
      placed.mapValues((o) => ({ amountCents: o.amountCents })).to(TOPICS.payments, json());
      placed.mapValues((o) => ({ address: o.address })).to(TOPICS.shipping, json());
    }))
    .branch((_id, order) => order.status === 'cancelled', Branched.withConsumer((cancelled) => {
      cancelled.mapValues((o) => ({ items: o.items })).to(TOPICS.releases, json());
    }))
    .noDefaultBranch();
  return builder.build();
}

export default function serviceDecouplingApp() {
  return { applicationId: 'service-decoupling', topology: buildServiceDecouplingTopology() };
}
