import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Consumed, Produced, SlidingWindows, StreamsBuilder } from '../../../src/dsl/index.ts';
import { Serdes } from '../../../src/serde/index.ts';
import { runWindowed, timeWindowed } from './support.ts';

function slidingSum(windows: SlidingWindows) {
  const builder = new StreamsBuilder();
  builder.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(windows)
    .aggregate(() => '', (_key, value, agg) => [...agg.split(','), value].filter(Boolean).sort().join(','))
    .toStream()
    .to('output', Produced.with(timeWindowed(windows.timeDifferenceMs), Serdes.String()));
  return builder.build();
}

/**
 * Kafka's definition, computed from the whole input: each record at t has a left window [t-d, t]
 * (or [0, d] when t < d) and, when a later record falls within d, a right window [t+1, t+1+d]; a
 * window holds every record inside it. Final contents per window, for comparison.
 */
function referenceSlidingWindows(records: ReadonlyArray<readonly [string, number]>, d: number): Map<string, string> {
  const windows = new Map<string, string>();
  const times = records.map(([, t]) => t);
  const contents = (start: number) => records.filter(([, t]) => t >= start && t <= start + d).map(([v]) => v).sort().join(',');
  for (const t of times) {
    const left = Math.max(0, t - d);
    windows.set(`${left}`, contents(left));
    if (times.some((u) => u > t && u <= t + d)) windows.set(`${t + 1}`, contents(t + 1));
  }
  return windows;
}

describe('sliding windows', () => {
  it('creates left and right windows as records arrive, in and out of order', async () => {
    const out = await runWindowed(slidingSum(SlidingWindows.ofTimeDifferenceAndGrace(10, 100)),
      [['a', 'r10', 10], ['a', 'r15', 15], ['a', 'r12', 12]], timeWindowed(10), Serdes.String());
    expect(out).toEqual([
      '[a@0/10] r10 @10',
      '[a@11/21] r15 @15', // r10's right window, now that r15 falls within 10 ms of it
      '[a@5/15] r10,r15 @15', // r15's left window
      '[a@11/21] r12,r15 @15', // r12 falls into existing windows, visited latest first as Kafka Streams does...
      '[a@5/15] r10,r12,r15 @15',
      '[a@2/12] r10,r12 @12', // ...gets its own left window
      '[a@13/23] r15 @15', // ...and a right window holding what follows it
    ]);
  });

  it('puts records before the time difference into the shared window [0, d]', async () => {
    const out = await runWindowed(slidingSum(SlidingWindows.ofTimeDifferenceWithNoGrace(10)),
      [['a', 'r3', 3], ['a', 'r5', 5]], timeWindowed(10), Serdes.String());
    expect(out).toEqual(['[a@0/10] r3 @3', '[a@4/14] r5 @5', '[a@0/10] r3,r5 @5']);
  });

  it('final window contents equal the definition for any input, out of order within grace', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 15 }), async (times, d) => {
      const records = times.map((time, i) => [`r${i}`, time] as const);
      const out = await runWindowed(slidingSum(SlidingWindows.ofTimeDifferenceAndGrace(d, 1_000_000)),
        records.map(([v, time]) => ['a', v, time] as const), timeWindowed(d), Serdes.String());
      const latest = new Map<string, string>();
      for (const line of out) {
        const [, start, value] = /^\[a@(\d+)\/\d+\] (\S*) @/.exec(line)!;
        latest.set(start!, value!);
      }
      expect(latest).toEqual(referenceSlidingWindows(records, d));
    }), { numRuns: 150, seed: 42 });
  });
});
