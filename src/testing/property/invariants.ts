import fc from 'fast-check';
import type { InputRecord } from '../generators/input-record.ts';
import { checkProperty } from './check-property.ts';
import type { PropertyOptions } from './check-property.ts';
import { assertComparable, expectEqual, observe } from './compare.ts';
import { deliveryWithinGrace } from './delivery-order.ts';
import { runTopology } from './run-topology.ts';
import type { EndOfInput, RunResult, TopologyUnderTest } from './run-topology.ts';

/** A topology with its generated input, and what to compare of a run (by default, {@link finalTables}). */
export interface PropertySpec extends TopologyUnderTest {
  readonly input: fc.Arbitrary<InputRecord[]>;
  readonly observe?: (result: RunResult) => unknown;
}

/**
 * The topology's observed result equals `model(input)`: a plain function over the whole input —
 * the "batch" version of the streaming logic — for every generated input.
 *
 * @example
 * await matchesModel({ ...spec, model: (input) => ({ stores: { totals: sumPerKey(input) }, outputs: {} }) });
 */
export async function matchesModel(spec: PropertySpec & { readonly model: (input: InputRecord[]) => unknown }, options: PropertyOptions & { partitions?: number } = {}): Promise<void> {
  assertComparable(spec, 'matchesModel');
  return checkProperty('matchesModel', spec.input, async (input) => {
    const result = await runTopology(spec, input, { partitions: options.partitions ?? 1 });
    expectEqual(observe(spec, result), spec.model(input), 'the topology\'s result differs from the model');
  }, options);
}

/**
 * The final result is the same whatever the number of partitions (default 1, 2 and 4): a topology
 * that aggregates without repartitioning by the right key, or keeps state across keys, fails.
 *
 * Stream time is kept per partition, so with more partitions the last windows of a final-results
 * topology (suppress, emit on window close) may still be open when the input ends. Give the spec
 * `endOfInput` and every partition's stream time is advanced past them before comparing.
 */
export async function partitionCountIndependent(spec: PropertySpec, options: PropertyOptions & { partitions?: readonly number[] } = {}): Promise<void> {
  assertComparable(spec, 'partitionCountIndependent');
  const counts = options.partitions ?? [1, 2, 4];
  return checkProperty('partitionCountIndependent', spec.input, async (input) => {
    const [first, ...others] = counts;
    const expected = observe(spec, await runTopology(spec, input, { partitions: first! }));
    for (const partitions of others) {
      const actual = observe(spec, await runTopology(spec, input, { partitions }));
      expectEqual(actual, expected, `${partitions} partitions give another result than ${first}${endOfInputHint(spec.endOfInput, expected)}`);
    }
  }, options);
}

/** Windowed keys as {@link keyId} writes them: `[key@start/end]`. */
const WINDOWED_KEY = /\[[^\]]*@\d+\/\d+\]/;

function endOfInputHint(endOfInput: EndOfInput | undefined, observed: unknown): string {
  if (endOfInput !== undefined || !WINDOWED_KEY.test(JSON.stringify(observed) ?? '')) return '';
  return ' (for a final-results windowed topology, give the spec `endOfInput: { advanceMs }` so every partition closes its last windows; see docs/testing.md)';
}

/**
 * Restart points as fractions of the input (per mille), drawn apart from the input, so fast-check
 * can shrink the input and the points independently and reach a minimal counterexample.
 */
const restartPoints = fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 3 });

/** The record counts after which a run restarts, for an input of `length` records. */
export function restartsAfter(length: number, points: readonly number[]): number[] {
  if (length < 2) return [];
  return [...new Set(points.map((p) => Math.min(length - 1, Math.max(1, Math.round((p / 1000) * length)))))].sort((a, b) => a - b);
}

/**
 * Closing the application at arbitrary points and restarting it from its changelogs changes no
 * final result (outputs are compared as final tables: a restart may repeat output, at least once).
 */
export async function restartIndependent(spec: PropertySpec, options: PropertyOptions & { partitions?: number } = {}): Promise<void> {
  assertComparable(spec, 'restartIndependent');
  return checkProperty('restartIndependent', fc.tuple(spec.input, restartPoints), async ([input, points]) => {
    const partitions = options.partitions ?? 1;
    const restartAfter = restartsAfter(input.length, points);
    const expected = observe(spec, await runTopology(spec, input, { partitions }));
    const restarted = observe(spec, await runTopology(spec, input, { partitions, restartAfter }));
    const where = restartAfter.map((n) => `after record ${n} of ${input.length}`).join(', and again ');
    expectEqual(restarted, expected, `restarting the application ${where} (from its changelogs) changes the result`);
  }, options);
}

/**
 * For windowed operations: delivering the records in another order, in which no record that was on
 * time falls `graceMs` or more behind stream time, changes no final window result. The input's own
 * late records stay late: they keep their place and meet the same stream time (see
 * {@link deliveryWithinGrace}). A failure prints the delivery order that broke the result.
 */
export async function orderInsensitiveWithinGrace(spec: PropertySpec & { readonly graceMs: number }, options: PropertyOptions = {}): Promise<void> {
  assertComparable(spec, 'orderInsensitiveWithinGrace');
  const delays = fc.array(fc.nat({ max: 20 }), { maxLength: 200 });
  return checkProperty('orderInsensitiveWithinGrace', fc.tuple(spec.input, delays), async ([input, delay]) => {
    const order = deliveryWithinGrace(input, delay, spec.graceMs);
    const expected = observe(spec, await runTopology(spec, input));
    const actual = observe(spec, await runTopology(spec, order.map((i) => input[i]!)));
    const delivered = order.map((i) => `#${i}@${input[i]!.timestamp}`).join(' ');
    expectEqual(actual, expected, `delivering the records in the order ${delivered} (input index @ timestamp; each within grace) changes a final result`);
  }, options);
}

/** The same input gives the same output, record for record, twice. */
export async function deterministic(spec: PropertySpec, options: PropertyOptions & { partitions?: number } = {}): Promise<void> {
  assertComparable(spec, 'deterministic');
  return checkProperty('deterministic', spec.input, async (input) => {
    const full = (result: RunResult) => Object.fromEntries([...result.outputs].map(([topic, records]) => [topic, records.map((r) => [r.key, r.value, r.timestamp])]));
    const first = await runTopology(spec, input, { partitions: options.partitions ?? 1 });
    const second = await runTopology(spec, input, { partitions: options.partitions ?? 1 });
    expectEqual(full(second), full(first), 'a second run of the same input gives other output');
    expectEqual(observe(spec, second), observe(spec, first), 'a second run of the same input ends with other tables');
  }, options);
}
