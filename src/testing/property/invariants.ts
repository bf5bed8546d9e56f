import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { InputRecord } from '../generators/input-record.ts';
import { checkProperty } from './check-property.ts';
import type { PropertyOptions } from './check-property.ts';
import { latestByKey, runTopology } from './run-topology.ts';
import type { RunResult, TopologyUnderTest } from './run-topology.ts';

/** A topology with its generated input, and what to compare of a run (by default, {@link finalTables}). */
export interface PropertySpec extends TopologyUnderTest {
  readonly input: fc.Arbitrary<InputRecord[]>;
  readonly observe?: (result: RunResult) => unknown;
}

/** The final tables of a run: each store's contents and each output topic's latest value per key, as plain objects. */
export function finalTables(result: RunResult): { stores: { [name: string]: { [key: string]: unknown } }; outputs: { [topic: string]: { [key: string]: unknown } } } {
  return {
    stores: Object.fromEntries([...result.stores].map(([name, rows]) => [name, Object.fromEntries(rows)])),
    outputs: Object.fromEntries([...result.outputs].map(([topic, records]) => [topic, Object.fromEntries(latestByKey(records))])),
  };
}

function observe(spec: PropertySpec, result: RunResult): unknown {
  return (spec.observe ?? finalTables)(result);
}

/**
 * Plain data for comparison: objects become ordinary objects whatever their prototype (a model's
 * values may come straight from generators, which can make null-prototype objects), recursively.
 */
function plainData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainData);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, plainData(v)]));
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainData(v)]));
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (isDeepStrictEqual(plainData(actual), plainData(expected))) return;
  throw new Error(`${what}\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`);
}

/**
 * The topology's observed result equals `model(input)`: a plain function over the whole input —
 * the "batch" version of the streaming logic — for every generated input.
 *
 * @example
 * await matchesModel({ ...spec, model: (input) => ({ stores: { totals: sumPerKey(input) }, outputs: {} }) });
 */
export function matchesModel(spec: PropertySpec & { readonly model: (input: InputRecord[]) => unknown }, options: PropertyOptions & { partitions?: number } = {}): Promise<void> {
  return checkProperty('matchesModel', spec.input, async (input) => {
    const result = await runTopology(spec, input, { partitions: options.partitions ?? 1 });
    expectEqual(observe(spec, result), spec.model(input), 'the topology\'s result differs from the model');
  }, options);
}

/**
 * The final result is the same whatever the number of partitions (default 1, 2 and 4): a topology
 * that aggregates without repartitioning by the right key, or keeps state across keys, fails.
 */
export function partitionCountIndependent(spec: PropertySpec, options: PropertyOptions & { partitions?: readonly number[] } = {}): Promise<void> {
  const counts = options.partitions ?? [1, 2, 4];
  return checkProperty('partitionCountIndependent', spec.input, async (input) => {
    const [first, ...others] = counts;
    const expected = observe(spec, await runTopology(spec, input, { partitions: first! }));
    for (const partitions of others) {
      expectEqual(observe(spec, await runTopology(spec, input, { partitions })), expected, `${partitions} partitions give another result than ${first}`);
    }
  }, options);
}

/**
 * Closing the application at arbitrary points and restarting it from its changelogs changes no
 * final result (outputs are compared as final tables: a restart may repeat output, at least once).
 */
export function restartIndependent(spec: PropertySpec, options: PropertyOptions & { partitions?: number } = {}): Promise<void> {
  const withCuts = spec.input.chain((input) => fc.tuple(fc.constant(input), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, input.length - 1) }), { maxLength: 3 })));
  return checkProperty('restartIndependent', withCuts, async ([input, restartAfter]) => {
    const partitions = options.partitions ?? 1;
    const expected = observe(spec, await runTopology(spec, input, { partitions }));
    const restarted = observe(spec, await runTopology(spec, input, { partitions, restartAfter }));
    expectEqual(restarted, expected, `restarting after records ${restartAfter.join(', ')} changes the result`);
  }, options);
}

/**
 * For windowed operations: delivering the records in another order, where no record falls more
 * than `graceMs` behind stream time, changes no final window result. Each record is moved by a
 * generated fraction of the grace period.
 */
export function orderInsensitiveWithinGrace(spec: PropertySpec & { readonly graceMs: number }, options: PropertyOptions = {}): Promise<void> {
  const reordered = spec.input.chain((input) => fc.tuple(
    fc.constant(input),
    fc.array(fc.integer({ min: 0, max: 999 }), { minLength: input.length, maxLength: input.length }),
  ));
  return checkProperty('orderInsensitiveWithinGrace', reordered, async ([input, shifts]) => {
    const inTimeOrder = [...input].sort((a, b) => a.timestamp - b.timestamp);
    // Arrival at timestamp + shift * grace (shift < 1): no record arrives a full grace period late.
    const shuffled = input.map((record, i) => ({ record, arrival: record.timestamp + (shifts[i]! / 1000) * spec.graceMs, i }))
      .sort((a, b) => a.arrival - b.arrival || a.i - b.i).map(({ record }) => record);
    const expected = observe(spec, await runTopology(spec, inTimeOrder));
    expectEqual(observe(spec, await runTopology(spec, shuffled)), expected, 'records reordered within the grace period change a final result');
  }, options);
}

/** The same input gives the same output, record for record, twice. */
export function deterministic(spec: PropertySpec, options: PropertyOptions & { partitions?: number } = {}): Promise<void> {
  return checkProperty('deterministic', spec.input, async (input) => {
    const full = (result: RunResult) => Object.fromEntries([...result.outputs].map(([topic, records]) => [topic, records.map((r) => [r.key, r.value, r.timestamp])]));
    const first = await runTopology(spec, input, { partitions: options.partitions ?? 1 });
    const second = await runTopology(spec, input, { partitions: options.partitions ?? 1 });
    expectEqual(full(second), full(first), 'a second run of the same input gives other output');
    expectEqual(observe(spec, second), observe(spec, first), 'a second run of the same input ends with other tables');
  }, options);
}
