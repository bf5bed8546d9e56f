/**
 * Orders enriched with customer data and the product catalogue: each order (keyed by customer id)
 * is joined with the customer's current row from the `customers` table (a stream-table join; the
 * two topics are co-partitioned by customer id) and with its product from the `products` global
 * table (looked up by the order's product id, in every partition). Orders of unknown customers
 * are dropped; unknown products show as "unknown product".
 *
 * Run it with `npx tsx topology-examples/order-enrichment.ts` or `npx kstreams run topology-examples/order-enrichment.ts`.
 */
import { pathToFileURL } from 'node:url';
import { Consumed, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';

export interface Order { readonly orderId: string; readonly productId: string; readonly quantity: number }
export interface Customer { readonly name: string; readonly tier: 'gold' | 'standard' }
export interface Product { readonly title: string; readonly priceCents: number }
export interface EnrichedOrder {
  readonly orderId: string;
  readonly customer: string;
  readonly tier: Customer['tier'];
  readonly product: string;
  readonly totalCents: number | null;
}

export const TOPICS = { orders: 'orders', customers: 'customers', products: 'products', enriched: 'enriched-orders' } as const;

export function buildOrderEnrichmentTopology(): Topology {
  const builder = new StreamsBuilder();
  const customers = builder.table<string, Customer>(TOPICS.customers, Consumed.with(Serdes.String(), Serdes.Json<Customer>()));
  const products = builder.globalTable<string, Product>(TOPICS.products, Consumed.with(Serdes.String(), Serdes.Json<Product>()));
  builder
    .stream<string, Order>(TOPICS.orders, Consumed.with(Serdes.String(), Serdes.Json<Order>()))
    .join(customers, (order, customer) => ({ order, customer }))
    .leftJoin(products, (_customerId, { order }) => order.productId, ({ order, customer }, product): EnrichedOrder => ({
      orderId: order.orderId,
      customer: customer.name,
      tier: customer.tier,
      product: product?.title ?? 'unknown product',
      totalCents: product === null ? null : product.priceCents * order.quantity,
    }))
    .to(TOPICS.enriched, Produced.with(Serdes.String(), Serdes.Json<EnrichedOrder>()));
  return builder.build();
}

export async function enrich(input: {
  customers: ReadonlyArray<readonly [string, Customer]>;
  products: ReadonlyArray<readonly [string, Product]>;
  orders: ReadonlyArray<readonly [string, Order]>;
}): Promise<EnrichedOrder[]> {
  const driver = new TopologyTestDriver(buildOrderEnrichmentTopology(), { 'application.id': 'order-enrichment' });
  try {
    const customers = driver.createInputTopic(TOPICS.customers, Serdes.String(), Serdes.Json<Customer>());
    const products = driver.createInputTopic(TOPICS.products, Serdes.String(), Serdes.Json<Product>());
    const orders = driver.createInputTopic(TOPICS.orders, Serdes.String(), Serdes.Json<Order>());
    for (const [id, customer] of input.customers) await customers.pipeInput(id, customer);
    for (const [id, product] of input.products) await products.pipeInput(id, product);
    for (const [customerId, order] of input.orders) await orders.pipeInput(customerId, order);
    return (await driver.createOutputTopic(TOPICS.enriched, Serdes.String(), Serdes.Json<EnrichedOrder>()).readValuesToList()).filter((v): v is EnrichedOrder => v !== null);
  } finally {
    await driver.close();
  }
}

export default function orderEnrichmentApp() {
  return { applicationId: 'order-enrichment', topology: buildOrderEnrichmentTopology() };
}

export async function main(): Promise<void> {
  const enriched = await enrich({
    customers: [['c1', { name: 'Ann', tier: 'gold' }], ['c2', { name: 'Bob', tier: 'standard' }]],
    products: [['p1', { title: 'lamp', priceCents: 3_999 }]],
    orders: [['c1', { orderId: 'o1', productId: 'p1', quantity: 2 }], ['c2', { orderId: 'o2', productId: 'p9', quantity: 1 }], ['c9', { orderId: 'o3', productId: 'p1', quantity: 1 }]],
  });
  for (const order of enriched) console.log(JSON.stringify(order));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
