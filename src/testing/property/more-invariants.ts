import fc from 'fast-check';
import type { InputRecord } from '../generators/input-record.ts';
import { checkProperty } from './check-property.ts';
import type { PropertyOptions } from './check-property.ts';
import { assertComparable, expectEqual, observe } from './compare.ts';
import { restartsAfter } from './invariants.ts';
import type { PropertySpec } from './invariants.ts';
import { runTopology } from './run-topology.ts';
import type { RunResult } from './run-topology.ts';
import { windowsOf } from './windows-late-records.ts';
import type { TimeWindowsShape } from './windows-late-records.ts';

/**
 * Scaling out to more partitions across a restart changes no final result: the application runs
 * on `from` partitions (default 1), stops at a generated point, and goes on with `to` (default 4),
 * its stores restored from changelogs spread over the new partitions by key — where the app allows
 * it (stores keyed by the partition key: aggregations after a grouping, tables, windowed stores).
 *
 * @example
 * await scaleOutIndependent(spec, { from: 1, to: 4 });
 */
export async function scaleOutIndependent(spec: PropertySpec, options: PropertyOptions & { from?: number; to?: number } = {}): Promise<void> {
  assertComparable(spec, 'scaleOutIndependent');
  const from = options.from ?? 1;
  const to = options.to ?? 4;
  const point = fc.integer({ min: 1, max: 999 });
  return checkProperty('scaleOutIndependent', fc.tuple(spec.input, point), async ([input, at]) => {
    const restartAfter = restartsAfter(input.length, [at]);
    const expected = observe(spec, await runTopology(spec, input, { partitions: from }));
    const scaled = observe(spec, await runTopology(spec, input, { partitions: from, restartAfter, partitionsAfterRestart: to }));
    expectEqual(scaled, expected, `going from ${from} to ${to} partitions after record ${restartAfter[0] ?? input.length} of ${input.length} changes the result`);
  }, options);
}

/** A record delivered again, `delay` records after its first delivery (at-least-once redelivery). */
interface Redelivery {
  readonly at: number;
  readonly delay: number;
}

/** Input indexes in delivery order, each redelivery's record sent once more, `delay` records later. */
function redeliveryOrder(length: number, redeliveries: readonly Redelivery[]): number[] {
  if (length === 0) return [];
  const extra = new Map<number, number[]>();
  for (const { at, delay } of redeliveries) {
    const index = Math.min(length - 1, Math.floor((at / 1000) * length));
    const after = Math.min(length - 1, index + delay);
    extra.set(after, [...(extra.get(after) ?? []), index]);
  }
  return Array.from({ length }, (_, i) => [i, ...(extra.get(i) ?? [])]).flat();
}

/**
 * For deduplicating topologies: delivering some records twice — right away or a few records
 * later, as an at-least-once producer or a replay after a crash does — changes no final result.
 */
export async function idempotentUnderDuplicates(spec: PropertySpec, options: PropertyOptions & { partitions?: number } = {}): Promise<void> {
  assertComparable(spec, 'idempotentUnderDuplicates');
  const redeliveries = fc.array(fc.record({ at: fc.integer({ min: 0, max: 999 }), delay: fc.nat({ max: 5 }) }), { minLength: 1, maxLength: 5 });
  return checkProperty('idempotentUnderDuplicates', fc.tuple(spec.input, redeliveries), async ([input, again]) => {
    const partitions = options.partitions ?? 1;
    const order = redeliveryOrder(input.length, again);
    const expected = observe(spec, await runTopology(spec, input, { partitions }));
    const actual = observe(spec, await runTopology(spec, order.map((i) => input[i]!), { partitions }));
    const sent = order.map((i) => `#${i}`).join(' ');
    expectEqual(actual, expected, `delivering the records as ${sent} (input indexes, some twice) changes the result`);
  }, options);
}

/**
 * A time-windowed aggregation keeps exactly the records grace allows and drops the others
 * ({@link windowsOf} says which, by Kafka Streams' rule): `windowCounts(result)` reads how many
 * records the topology counted per window (`[key@start/end]`), which must equal the records the
 * rule accepts into each window. Runs in one partition, in input order.
 *
 * @example
 * await dropsLateRecordsAsGraceSays({ ...spec, windows: TimeWindows.ofSizeAndGrace(1_000, 200),
 *   windowCounts: (result) => Object.fromEntries(result.stores.get('counts')!) });
 */
export async function dropsLateRecordsAsGraceSays(
  spec: PropertySpec & { readonly windows: TimeWindowsShape; readonly windowCounts: (result: RunResult) => { readonly [window: string]: unknown } },
  options: PropertyOptions = {},
): Promise<void> {
  return checkProperty('dropsLateRecordsAsGraceSays', spec.input, async (input) => {
    const { accepted, dropped } = windowsOf(input, spec.windows);
    const expected: { [window: string]: number } = {};
    for (const { id } of accepted) expected[id] = (expected[id] ?? 0) + 1;
    const actual = spec.windowCounts(await runTopology(spec, input));
    const late = dropped.map(({ index, id }) => `#${index} from ${id}`).join(', ') || 'none';
    expectEqual(actual, expected, `the records counted per window differ from what grace allows (records grace drops: ${late})`);
  }, options);
}
