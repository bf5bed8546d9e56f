import fc from 'fast-check';
import { interleave, keyedEvents } from '../../src/testing/index.ts';
import type { InputRecord } from '../../src/testing/index.ts';
import { AGGREGATION_CASE_INPUTS } from './topologies-aggregations.ts';
import { JOIN_CASE_INPUTS } from './topologies-joins.ts';
import type { ReferenceTopologyName } from './topologies.ts';
import { TABLE_CASE_INPUTS } from './topologies-tables.ts';
import { WINDOWS_CASE_INPUTS } from './topologies-windows.ts';

/** One input record as exchanged with the Java harness: string keys and values, null allowed. */
export type CaseRecord = InputRecord<string | null, string | null>;

const START = 60_000;
const keysWithNull = ['a', 'b', 'c', null] as const;

/** Click-like events with out-of-order and late records (beyond a 5 s grace) and some nulls. */
function windowedInput(): fc.Arbitrary<CaseRecord[]> {
  return keyedEvents<string | null, string | null>({
    topic: 'clicks', keys: keysWithNull, values: fc.constantFrom('x', 'y'), startTime: START,
    maxStepMs: 3_000, maxJitterMs: 4_000, late: { graceMs: 6_000, every: 8 }, tombstoneRate: 0.05, duplicateRate: 0.05, maxLength: 30,
  });
}

function twoSides(leftTopic: string, rightTopic: string, options: { tombstoneRate: number; keys?: readonly (string | null)[]; jitter?: number }): fc.Arbitrary<CaseRecord[]> {
  const side = (topic: string, values: readonly string[]): fc.Arbitrary<CaseRecord[]> => keyedEvents<string | null, string | null>({
    topic, keys: options.keys ?? keysWithNull, values: fc.constantFrom(...values), startTime: START, maxStepMs: 3_000,
    maxJitterMs: options.jitter ?? 0, tombstoneRate: options.tombstoneRate, maxLength: 15,
    ...(options.jitter === undefined ? {} : { late: { graceMs: 7_000, every: 10 } }),
  });
  return interleave(side(leftTopic, ['l1', 'l2', 'l3']), side(rightTopic, ['r1', 'r2', 'r3'])) as fc.Arbitrary<CaseRecord[]>;
}

const words = fc.array(fc.constantFrom('the', 'Cat', 'dog', 'a', 'DOG', 'café', 'x_y'), { maxLength: 5 });
const separators = fc.constantFrom(' ', ', ', '! ', '  ');

/**
 * Inputs for each reference topology: small key sets so records meet, timestamps that jump, come
 * out of order and late, tombstones and null keys where the operation has a rule for them.
 */
export const CASE_INPUTS: { readonly [name in ReferenceTopologyName]: fc.Arbitrary<CaseRecord[]> } = {
  'word-count': keyedEvents<string | null, string | null>({
    topic: 'lines', keys: ['k', null], values: fc.tuple(words, separators).map(([ws, sep]) => ws.join(sep)), startTime: START, maxLength: 20,
  }),
  'aggregate-uncached': keyedEvents<string | null, string | null>({
    topic: 'amounts', keys: keysWithNull, values: fc.integer({ min: -5, max: 20 }).map(String), startTime: START, maxJitterMs: 2_000,
    tombstoneRate: 0.1, maxLength: 25,
  }),
  'table-aggregate': keyedEvents<string | null, string | null>({
    topic: 'user-regions', keys: ['u1', 'u2', 'u3', 'u4', null], values: fc.constantFrom('eu', 'us', 'apac'), startTime: START,
    maxJitterMs: 2_000, tombstoneRate: 0.2, duplicateRate: 0.1, maxLength: 25,
  }),
  'tumbling-count': windowedInput(),
  'hopping-count': windowedInput(),
  'sliding-count': windowedInput(),
  'session-count': windowedInput(),
  'suppressed-count': windowedInput(),
  'tumbling-final': windowedInput(),
  'session-final': windowedInput(),
  'stream-stream-inner': twoSides('left', 'right', { tombstoneRate: 0.05, jitter: 4_000 }),
  'stream-stream-left': twoSides('left', 'right', { tombstoneRate: 0.05, jitter: 4_000 }),
  'stream-stream-outer': twoSides('left', 'right', { tombstoneRate: 0.05, jitter: 4_000 }),
  'stream-table-inner': twoSides('left', 'right', { tombstoneRate: 0.15 }),
  'stream-table-left': twoSides('left', 'right', { tombstoneRate: 0.15 }),
  'table-table-inner': twoSides('left', 'right', { tombstoneRate: 0.2 }),
  'table-table-left': twoSides('left', 'right', { tombstoneRate: 0.2 }),
  'table-table-outer': twoSides('left', 'right', { tombstoneRate: 0.2 }),
  'foreign-key-inner': foreignKeyInput(),
  'foreign-key-left': foreignKeyInput(),
  ...TABLE_CASE_INPUTS,
  ...WINDOWS_CASE_INPUTS,
  ...AGGREGATION_CASE_INPUTS,
  ...JOIN_CASE_INPUTS,
};

/** Orders "p|q" naming products p1..p3 (sometimes one that never exists), and product renames. */
function foreignKeyInput(): fc.Arbitrary<CaseRecord[]> {
  const orders = keyedEvents<string | null, string | null>({
    topic: 'orders', keys: ['o1', 'o2', 'o3', null], startTime: START, tombstoneRate: 0.15, maxLength: 15,
    values: fc.tuple(fc.constantFrom('p1', 'p2', 'p3', 'p9'), fc.integer({ min: 1, max: 3 })).map(([product, quantity]) => `${product}|${quantity}`),
  });
  const products = keyedEvents<string | null, string | null>({
    topic: 'products', keys: ['p1', 'p2', 'p3'], values: fc.constantFrom('pen', 'ink', 'pad'), startTime: START, tombstoneRate: 0.15, maxLength: 12,
  });
  return interleave(orders, products) as fc.Arbitrary<CaseRecord[]>;
}
