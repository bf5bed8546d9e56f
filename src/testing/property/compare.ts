import { isDeepStrictEqual } from 'node:util';
import { StreamsError } from '../../common/index.ts';
import { latestByKey } from './run-topology.ts';
import type { RunResult, TopologyUnderTest } from './run-topology.ts';

/** The final tables of a run: each store's contents and each output topic's latest value per key, as plain objects. */
export function finalTables(result: RunResult): { stores: { [name: string]: { [key: string]: unknown } }; outputs: { [topic: string]: { [key: string]: unknown } } } {
  return {
    stores: Object.fromEntries([...result.stores].map(([name, rows]) => [name, Object.fromEntries(rows)])),
    outputs: Object.fromEntries([...result.outputs].map(([topic, records]) => [topic, Object.fromEntries(latestByKey(records))])),
  };
}

/** What a property compares of a run: the spec's own `observe`, or its final tables. */
export interface Observed {
  readonly observe?: (result: RunResult) => unknown;
}

export function observe(spec: Observed, result: RunResult): unknown {
  return (spec.observe ?? finalTables)(result);
}

/**
 * Refuses a spec that names nothing to compare: without stores, output topics or an `observe`
 * function every run looks the same, and the property would pass whatever the topology does.
 */
export function assertComparable(spec: TopologyUnderTest & Observed, invariant: string): void {
  if (spec.observe !== undefined) return;
  const stores = spec.stores?.length ?? 0;
  const outputs = Object.keys(spec.outputs ?? {}).length;
  if (stores + outputs > 0) return;
  throw new StreamsError('INVALID_ARGUMENT',
    `${invariant}: the spec names nothing to compare, so it would pass whatever the topology does; list output topics in "outputs", stores in "stores", or give an "observe" function`);
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

/** Throws `what` with both sides printed unless `actual` and `expected` hold the same data. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (isDeepStrictEqual(plainData(actual), plainData(expected))) return;
  throw new Error(`${what}\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`);
}
