import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { interleave, keyedEvents } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec, TopicSerdes } from '../../src/testing/index.ts';
import type { Serde } from '../../src/serde/index.ts';
import type { Topology } from '../../src/topology/index.ts';
import cdcViewApp, { TOPICS as CDC } from '../../topology-examples/cdc-materialized-view.ts';
import type { ChangeEvent, CustomerRow } from '../../topology-examples/cdc-materialized-view.ts';
import compactedLogApp, { TOPICS as COMPACTED } from '../../topology-examples/compacted-commit-log.ts';
import cqrsReadModelApp, { TOPICS as CQRS } from '../../topology-examples/cqrs-read-model.ts';
import type { OrderState } from '../../topology-examples/cqrs-read-model.ts';
import eventSourcingApp, { TOPICS as EVENTS } from '../../topology-examples/event-sourcing.ts';
import { OPENED, apply as applyEvent } from '../../topology-examples/event-sourcing.ts';
import type { Account, AccountEvent } from '../../topology-examples/event-sourcing.ts';
import fraudDetectionApp, { TOPICS as FRAUD } from '../../topology-examples/fraud-detection.ts';
import logAggregationApp, { TOPICS as LOGS } from '../../topology-examples/log-aggregation.ts';
import reconciliationApp, { TOPICS as MIGRATION } from '../../topology-examples/migration-reconciliation.ts';
import monitoringAlertsApp, { TOPICS as MONITORING } from '../../topology-examples/monitoring-alerts.ts';
import orderEnrichmentApp, { TOPICS as ENRICHMENT } from '../../topology-examples/order-enrichment.ts';
import type { Customer, Order as EnrichmentOrder, Product } from '../../topology-examples/order-enrichment.ts';
import pageViewsApp, { VIEWS_TOPIC } from '../../topology-examples/page-views-per-window.ts';
import paymentMatchingApp, { TOPICS as PAYMENTS } from '../../topology-examples/payment-matching.ts';
import realtimeEtlApp, { TOPICS as ETL } from '../../topology-examples/realtime-etl.ts';
import type { RawSignup } from '../../topology-examples/realtime-etl.ts';
import serviceDecouplingApp, { TOPICS as SERVICES } from '../../topology-examples/service-decoupling.ts';
import type { OrderEvent } from '../../topology-examples/service-decoupling.ts';
import userSessionsApp, { CLICKS_TOPIC } from '../../topology-examples/user-sessions.ts';
import userSpendingApp, { ORDERS_TOPIC } from '../../topology-examples/user-spending.ts';
import type { Order as SpendingOrder } from '../../topology-examples/user-spending.ts';
import wordCountApp, { INPUT_TOPIC as WORDS, OUTPUT_TOPIC as WORD_COUNTS } from '../../topology-examples/word-count.ts';

/**
 * The input each example application is exercised with: a fast-check arbitrary of input records
 * and the serdes of the topics they go to. The property tests of the examples and the runs on
 * Apache Kafka (test/reference) draw from the same arbitraries.
 */
export interface ExampleWorkload {
  /** The example's default export: its application id and topology. */
  readonly app: () => { applicationId: string; topology: Topology };
  readonly input: fc.Arbitrary<InputRecord[]>;
  readonly inputs: Readonly<{ [topic: string]: TopicSerdes }>;
  /** Where a reference model exists: what an output topic must end as, the latest value per key. */
  readonly model?: OutputModel;
}

/** The latest value per (string) key an output topic must hold after `input`; tombstoned keys are absent. */
export interface OutputModel {
  readonly topic: string;
  readonly valueSerde: Serde<unknown>;
  latest(input: readonly InputRecord[]): Map<string, unknown>;
}

/** The last value of every key; a tombstone (null value) removes the key. */
export function lastValuePerKey(input: readonly InputRecord[]): Map<string, unknown> {
  const latest = new Map<string, unknown>();
  for (const { key, value } of input) {
    if (value === null) latest.delete(key as string);
    else latest.set(key as string, value);
  }
  return latest;
}

/** Every account's state: a fold of its events from the opening balance (event sourcing's replay). */
export function accountsAfter(input: readonly InputRecord[]): Map<string, unknown> {
  const accounts = new Map<string, Account>();
  for (const { key, value } of input) accounts.set(key as string, applyEvent(accounts.get(key as string) ?? OPENED, value as AccountEvent));
  return accounts;
}

function wordCounts(input: readonly InputRecord[]): Map<string, unknown> {
  const counts = new Map<string, number>();
  for (const { value } of input) {
    for (const word of String(value).toLowerCase().split(/\W+/).filter((w) => w.length > 0)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

const strings: TopicSerdes = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const json: TopicSerdes = { keySerde: Serdes.String(), valueSerde: Serdes.Json() };
const minute = 60_000;

const customerRow: fc.Arbitrary<CustomerRow> = fc.record({ name: fc.constantFrom('Ann', 'Bob'), email: fc.constantFrom('a@x.io', 'b@x.io') });
/** Debezium-style change events of a customers table. */
const changeEvent: fc.Arbitrary<ChangeEvent> = fc.oneof(
  fc.record({ op: fc.constantFrom('c' as const, 'r' as const), before: fc.constant(null), after: customerRow }),
  fc.record({ op: fc.constant('u' as const), before: customerRow, after: customerRow }),
  fc.record({ op: fc.constant('d' as const), before: customerRow, after: fc.constant(null) }),
);
const orderState: fc.Arbitrary<OrderState> = fc.record({ customerId: fc.constantFrom('c1', 'c2', 'c3'), cents: fc.integer({ min: 1, max: 100 }), open: fc.boolean() });
const accountEvent: fc.Arbitrary<AccountEvent> = fc.record({ type: fc.constantFrom('deposit' as const, 'withdrawal' as const), cents: fc.integer({ min: 1, max: 500 }) });
/** Access-log lines, one in six malformed. */
const logLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('api', 'web', 'auth'), fc.constantFrom(200, 404, 500, 503), fc.constantFrom('/', '/login'), fc.nat(900)).map(([s, st, p, ms]) => `${s} ${st} ${p} ${ms}`) },
  { weight: 1, arbitrary: fc.constantFrom('garbage', 'api two / 5', '') },
);
const versions = fc.constantFrom('v1', 'v2');
export const migrationKeys = ['o1', 'o2', 'o3'];
const requestOutcomes = keyedEvents({
  topic: MONITORING.requests, keys: ['api', 'auth'], values: fc.constantFrom('ok', 'ok', 'ok', 'error'), minLength: 120, maxLength: 200, maxStepMs: 1_500, maxJitterMs: 5_000,
});
const pageViews = keyedEvents({ topic: VIEWS_TOPIC, keys: ['ann', 'bob', 'cy'], values: fc.constantFrom('/home', '/cart'), minLength: 20, maxLength: 60, maxStepMs: 40_000, maxJitterMs: 30_000 });
export const rawSignup: fc.Arbitrary<RawSignup> = fc.record({
  email: fc.constantFrom('Ann@Example.com ', 'bob@example.org', 'not-an-email', ' CAROL@x.io'),
  name: fc.constantFrom(' Ann', 'Bob ', 'Carol'),
  country: fc.constantFrom('de', 'US', 'fr ', 'xx'),
});
/** Regions first (a reference table loaded before sign-ups), then sign-ups interleaved with region changes. */
const signupsWithRegions = fc.tuple(
  keyedEvents({ topic: ETL.regions, keys: ['DE', 'FR', 'US'], values: fc.constantFrom('EU', 'AMERICAS'), minLength: 3 }),
  keyedEvents({ topic: ETL.signups, keys: ['s1', 's2', 's3'], values: rawSignup }),
).chain(([regions, signups]) => interleave(fc.constant(regions), fc.constant(signups)));
const orderEvent: fc.Arbitrary<OrderEvent> = fc.record({
  status: fc.constantFrom('placed' as const, 'cancelled' as const),
  items: fc.array(fc.constantFrom('book', 'pen', 'lamp'), { minLength: 1, maxLength: 3 }),
  amountCents: fc.nat(10_000),
  address: fc.constantFrom('1 Main St', '2 High St'),
});

const spendingOrder: fc.Arbitrary<SpendingOrder> = fc.record({
  orderId: fc.nat(1_000), user: fc.constantFrom('alice', 'bob', 'carol'), item: fc.constantFrom('book', 'pen'), amountCents: fc.integer({ min: 1, max: 10_000 }),
});

/** Every example application in topology-examples/ (the demo runs its own engine) with its input. */
export const EXAMPLE_WORKLOADS: Readonly<{ [example: string]: ExampleWorkload }> = {
  'cdc-materialized-view': { app: cdcViewApp, input: keyedEvents({ topic: CDC.changes, keys: ['1', '2', '3'], values: changeEvent }), inputs: { [CDC.changes]: json } },
  'compacted-commit-log': {
    app: compactedLogApp,
    input: keyedEvents({ topic: COMPACTED.updates, keys: ['e1', 'e2', 'e3', 'e4'], keyDistribution: 'skewed', values: fc.constantFrom('a', 'b', 'c'), tombstoneRate: 0.15, duplicateRate: 0.1 }),
    inputs: { [COMPACTED.updates]: strings },
    model: { topic: COMPACTED.state, valueSerde: Serdes.String() as Serde<unknown>, latest: lastValuePerKey },
  },
  'cqrs-read-model': { app: cqrsReadModelApp, input: keyedEvents({ topic: CQRS.orders, keys: ['o1', 'o2', 'o3', 'o4'], values: orderState, tombstoneRate: 0.1 }), inputs: { [CQRS.orders]: json } },
  'event-sourcing': {
    app: eventSourcingApp,
    input: keyedEvents({ topic: EVENTS.events, keys: ['acc-1', 'acc-2', 'acc-3'], keyDistribution: 'skewed', values: accountEvent }),
    inputs: { [EVENTS.events]: json },
    model: { topic: EVENTS.balances, valueSerde: Serdes.Json() as Serde<unknown>, latest: accountsAfter },
  },
  'fraud-detection': {
    app: fraudDetectionApp,
    input: keyedEvents({ topic: FRAUD.transactions, keys: ['card-1', 'card-2'], values: fc.integer({ min: 100, max: 60_000 }), minLength: 10, maxStepMs: 3 * minute }),
    inputs: { [FRAUD.transactions]: { keySerde: Serdes.String(), valueSerde: Serdes.Long() } },
  },
  'log-aggregation': { app: logAggregationApp, input: keyedEvents({ topic: LOGS.lines, keys: ['host-1', 'host-2'], values: logLine }), inputs: { [LOGS.lines]: strings } },
  'migration-reconciliation': {
    app: reconciliationApp,
    input: interleave(
      keyedEvents({ topic: MIGRATION.old, keys: migrationKeys, values: versions, tombstoneRate: 0.1 }),
      keyedEvents({ topic: MIGRATION.migrated, keys: migrationKeys, values: versions, tombstoneRate: 0.1 }),
    ),
    inputs: { [MIGRATION.old]: strings, [MIGRATION.migrated]: strings },
  },
  'monitoring-alerts': { app: monitoringAlertsApp, input: requestOutcomes, inputs: { [MONITORING.requests]: strings } },
  'order-enrichment': {
    app: orderEnrichmentApp,
    // Products and customers first (reference data), then orders, some for unknown customers or products.
    input: fc.tuple(
      keyedEvents<string, Product>({ topic: ENRICHMENT.products, keys: ['p1', 'p2'], values: fc.record({ title: fc.constantFrom('lamp', 'desk'), priceCents: fc.integer({ min: 100, max: 5_000 }) }), minLength: 2, maxLength: 4 }),
      keyedEvents<string, Customer>({ topic: ENRICHMENT.customers, keys: ['c1', 'c2'], values: fc.record({ name: fc.constantFrom('Ann', 'Bob'), tier: fc.constantFrom('gold' as const, 'standard' as const) }), minLength: 2, maxLength: 4 }),
      keyedEvents<string, EnrichmentOrder>({
        topic: ENRICHMENT.orders, keys: ['c1', 'c2', 'c3'],
        values: fc.record({ orderId: fc.constantFrom('o1', 'o2', 'o3', 'o4'), productId: fc.constantFrom('p1', 'p2', 'p9'), quantity: fc.integer({ min: 1, max: 5 }) }),
      }),
    ).map(([products, customers, orders]) => [...products, ...customers, ...orders.map((o) => ({ ...o, timestamp: o.timestamp + 10_000 }))]),
    inputs: { [ENRICHMENT.products]: json, [ENRICHMENT.customers]: json, [ENRICHMENT.orders]: json },
  },
  'page-views-per-window': { app: pageViewsApp, input: pageViews, inputs: { [VIEWS_TOPIC]: strings } },
  'payment-matching': {
    app: paymentMatchingApp,
    input: interleave(
      keyedEvents({ topic: PAYMENTS.orders, keys: ['o1', 'o2', 'o3', 'o4'], values: fc.record({ amountCents: fc.integer({ min: 1, max: 900 }) }), maxStepMs: 4 * minute }),
      keyedEvents({ topic: PAYMENTS.payments, keys: ['o1', 'o2', 'o3', 'o4'], values: fc.record({ amountCents: fc.integer({ min: 1, max: 900 }), method: fc.constantFrom('card', 'cash') }), maxStepMs: 4 * minute }),
    ),
    inputs: { [PAYMENTS.orders]: json, [PAYMENTS.payments]: json },
  },
  'realtime-etl': { app: realtimeEtlApp, input: signupsWithRegions, inputs: { [ETL.regions]: strings, [ETL.signups]: json } },
  'service-decoupling': { app: serviceDecouplingApp, input: keyedEvents({ topic: SERVICES.orders, keys: ['o1', 'o2', 'o3', 'o4'], values: orderEvent }), inputs: { [SERVICES.orders]: json } },
  'user-sessions': {
    app: userSessionsApp,
    // At most 30 steps of up to 20 minutes: a run on Apache Kafka dates the input from twelve hours ago.
    input: keyedEvents({ topic: CLICKS_TOPIC, keys: ['ann', 'bob'], values: fc.constantFrom('/home', '/cart', '/pay'), minLength: 5, maxLength: 30, maxStepMs: 20 * minute, maxJitterMs: 10 * minute }),
    inputs: { [CLICKS_TOPIC]: strings },
  },
  'user-spending': {
    app: userSpendingApp,
    input: keyedEvents({ topic: ORDERS_TOPIC, keys: ['alice', 'bob', 'carol'], values: spendingOrder }).map((records) => records.map((r) => ({ ...r, value: { ...r.value, user: r.key } }))),
    inputs: { [ORDERS_TOPIC]: json },
  },
  'word-count': {
    app: wordCountApp,
    input: keyedEvents({ topic: WORDS, keys: [null], values: fc.constantFrom('the quick fox', 'The lazy dog', 'a fox, a dog', '') }),
    inputs: { [WORDS]: strings },
    model: { topic: WORD_COUNTS, valueSerde: Serdes.Long() as Serde<unknown>, latest: wordCounts },
  },
};

/** The input half of an example's property spec: its records' arbitrary and the input topics' serdes. */
export function exampleInput(example: string): Pick<PropertySpec, 'input' | 'inputs'> {
  const workload = EXAMPLE_WORKLOADS[example];
  if (workload === undefined) throw new Error(`no workload for example '${example}'`);
  return { input: workload.input, inputs: workload.inputs };
}
