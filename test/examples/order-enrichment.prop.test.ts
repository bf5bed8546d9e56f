import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { matchesModel, partitionCountIndependent, restartIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec, RunResult } from '../../src/testing/index.ts';
import { TOPICS, buildOrderEnrichmentTopology } from '../../topology-examples/order-enrichment.ts';
import type { Customer, EnrichedOrder, Order, Product } from '../../topology-examples/order-enrichment.ts';
import { exampleInput } from './workloads.ts';

/** Enriched orders per customer, in the order they were enriched. */
function perCustomer(result: RunResult): { [customer: string]: EnrichedOrder[] } {
  const out: { [customer: string]: EnrichedOrder[] } = {};
  for (const { key, value } of result.outputs.get(TOPICS.enriched) ?? []) (out[String(key)] ??= []).push(value as EnrichedOrder);
  return out;
}

/** The batch version: each order with the customer's and the product's rows as of the order. */
function enrichedModel(input: InputRecord[]): { [customer: string]: EnrichedOrder[] } {
  const customers = new Map<string, Customer>();
  const products = new Map<string, Product>();
  const out: { [customer: string]: EnrichedOrder[] } = {};
  for (const { topic, key, value } of input) {
    if (topic === TOPICS.customers) customers.set(String(key), value as Customer);
    else if (topic === TOPICS.products) products.set(String(key), value as Product);
    else {
      const order = value as Order;
      const customer = customers.get(String(key));
      if (customer === undefined) continue; // an inner join with the customers table
      const product = products.get(order.productId);
      (out[String(key)] ??= []).push({
        orderId: order.orderId, customer: customer.name, tier: customer.tier,
        product: product?.title ?? 'unknown product', totalCents: product === undefined ? null : product.priceCents * order.quantity,
      });
    }
  }
  return out;
}

const spec: PropertySpec = {
  topology: buildOrderEnrichmentTopology,
  ...exampleInput('order-enrichment'),
  outputs: { [TOPICS.enriched]: { keySerde: Serdes.String(), valueSerde: Serdes.Json<EnrichedOrder>() } },
  observe: perCustomer,
};

describe('order-enrichment example (properties)', () => {
  it('generates orders of known and unknown customers and products (so the properties below are not vacuous)', () => {
    const samples = fc.sample(exampleInput('order-enrichment').input, { numRuns: 30, seed: 190 });
    const enriched = samples.map(enrichedModel).flatMap((out) => Object.values(out).flat());
    expect(enriched.some((o) => o.totalCents === null)).toBe(true);
    expect(enriched.some((o) => o.totalCents !== null)).toBe(true);
    expect(samples.some((input) => input.some((r) => r.topic === TOPICS.orders && r.key === 'c3'))).toBe(true);
  });

  it('enriches each order with its customer and product as of the order, and drops unknown customers', async () => {
    await matchesModel({ ...spec, model: enrichedModel }, { numRuns: 40, seed: 191 });
  });

  it('gives every customer the same enriched orders over 1, 2 or 4 partitions, and across restarts', async () => {
    await partitionCountIndependent(spec, { numRuns: 25, seed: 192 });
    await restartIndependent(spec, { numRuns: 25, seed: 193 });
  });
});
