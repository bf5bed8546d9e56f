import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { checkProperty, partitionCountIndependent, restartIndependent, runTopology } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec, RunResult } from '../../src/testing/index.ts';
import { TOPICS, buildPaymentMatchingTopology } from '../../topology-examples/payment-matching.ts';
import type { Match, Order, Payment } from '../../topology-examples/payment-matching.ts';
import { exampleInput } from './workloads.ts';

const WINDOW_MS = 10 * 60_000;
const GRACE_MS = 60_000;
const workload = exampleInput('payment-matching');
/**
 * Orders and payments in time order (nothing is late, so every pair the window allows must meet),
 * then a payment for no order, late enough to close every order's window: the left join emits
 * waiting non-matches only when a record moves stream time past them (lazily, as Kafka Streams
 * does), so without it the last unpaid orders would still wait.
 */
const inTimeOrder = workload.input.map((records) => {
  const sorted = [...records].sort((a, b) => a.timestamp - b.timestamp);
  const end = Math.max(0, ...sorted.map((r) => r.timestamp)) + WINDOW_MS + GRACE_MS + 1;
  return [...sorted, { topic: TOPICS.payments, key: 'no-such-order', value: { amountCents: 1, method: 'card' }, timestamp: end }];
});

const spec: PropertySpec = {
  topology: buildPaymentMatchingTopology,
  input: inTimeOrder,
  inputs: workload.inputs,
  outputs: { [TOPICS.paid]: { keySerde: Serdes.String(), valueSerde: Serdes.Json<Match>() }, [TOPICS.alerts]: { keySerde: Serdes.String(), valueSerde: Serdes.String() } },
  config: { 'emit.interval.ms.kstreams.outer.join.spurious.results.fix': 0 },
  observe: (result) => ({ paid: paidPairs(result), alerts: alerted(result) }),
};

const pair = (id: unknown, order: Order, payment: Payment): string => `${String(id)}: ${order.amountCents} paid ${payment.amountCents} by ${payment.method}`;

function paidPairs(result: RunResult): string[] {
  return (result.outputs.get(TOPICS.paid) ?? []).map(({ key, value }) => pair(key, (value as Match).order, (value as Match).payment!)).sort();
}

function alerted(result: RunResult): string[] {
  return (result.outputs.get(TOPICS.alerts) ?? []).map(({ key, value }) => `${String(key)}: ${String(value)}`).sort();
}

const ordersOf = (input: InputRecord[]) => input.filter((r) => r.topic === TOPICS.orders);
const paymentsOf = (input: InputRecord[]) => input.filter((r) => r.topic === TOPICS.payments);
const inWindow = (order: InputRecord, payment: InputRecord) => order.key === payment.key && payment.timestamp >= order.timestamp && payment.timestamp <= order.timestamp + WINDOW_MS;
const alertFor = (order: InputRecord) => `${String(order.key)}: order unpaid after 10 minutes: ${((order.value as Order).amountCents / 100).toFixed(2)}`;

describe('payment-matching example (properties)', () => {
  it('generates inputs with both paid and unpaid orders (so the properties below are not vacuous)', () => {
    const samples = fc.sample(inTimeOrder, { numRuns: 30, seed: 180 });
    const paid = samples.filter((input) => ordersOf(input).some((o) => paymentsOf(input).some((p) => inWindow(o, p))));
    const unpaid = samples.filter((input) => ordersOf(input).some((o) => !paymentsOf(input).some((p) => inWindow(o, p))));
    expect([paid.length, unpaid.length].every((n) => n > 5)).toBe(true);
  });

  it('pairs every order with every payment within its 10 minutes, and alerts exactly the unpaid orders once their windows closed', async () => {
    await checkProperty('payments match the window', inTimeOrder, async (input) => {
      const result = await runTopology(spec, input);
      const expectedPairs = ordersOf(input).flatMap((o) => paymentsOf(input).filter((p) => inWindow(o, p)).map((p) => pair(o.key, o.value as Order, p.value as Payment))).sort();
      expect(paidPairs(result)).toEqual(expectedPairs);
      const unpaid = ordersOf(input).filter((o) => !paymentsOf(input).some((p) => inWindow(o, p)));
      expect(alerted(result)).toEqual(unpaid.map(alertFor).sort());
    }, { numRuns: 40, seed: 181 });
  });

  it('gives the same pairs over 1, 2 or 4 partitions and across restarts', async () => {
    // Alerts wait for stream time, which is per partition and, after a restart, for the next
    // waiting order (Kafka Streams' join keeps that bookkeeping in memory): pairs are compared.
    await partitionCountIndependent({ ...spec, observe: (result) => paidPairs(result) }, { numRuns: 25, seed: 182 });
    await restartIndependent({ ...spec, observe: (result) => paidPairs(result) }, { numRuns: 25, seed: 183 });
  });
});
