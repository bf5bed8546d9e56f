import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Consumed, Materialized, Produced, StreamsBuilder, Suppressed, TimeWindows } from '../../src/dsl/index.ts';
import { Serdes, WindowedSerdes } from '../../src/serde/index.ts';
import {
  PropertyFailure, checkProperty, deliveryWithinGrace, keyedEvents, matchesModel, orderInsensitiveWithinGrace, partitionCountIndependent, restartIndependent,
} from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';

const str = Serdes.String();
const strings = { keySerde: str, valueSerde: str };
const letters = fc.constantFrom('a', 'b', 'c');

describe('keyedEvents sizes', () => {
  it('reaches the maxLength it is given, not fast-check\'s default size', () => {
    const lengths = fc.sample(keyedEvents({ topic: 't', keys: ['k'], values: letters, maxLength: 200 }), { numRuns: 100, seed: 1 }).map((r) => r.length);
    expect(Math.max(...lengths)).toBeGreaterThan(150);
  });

  it('draws dozens of records by default, and honours an explicit size and minLength', () => {
    const byDefault = fc.sample(keyedEvents({ topic: 't', keys: ['k'], values: letters }), { numRuns: 100, seed: 2 }).map((r) => r.length);
    expect(Math.max(...byDefault)).toBeGreaterThanOrEqual(36);
    const small = fc.sample(keyedEvents({ topic: 't', keys: ['k'], values: letters, maxLength: 200, size: 'xsmall' }), { numRuns: 100, seed: 3 }).map((r) => r.length);
    expect(Math.max(...small)).toBeLessThan(20);
    const atLeast = fc.sample(keyedEvents({ topic: 't', keys: ['k'], values: letters, minLength: 12, maxLength: 15 }), { numRuns: 50, seed: 4 });
    expect(atLeast.every((r) => r.length >= 12)).toBe(true);
  });

  it('makes late records late by construction, also near the start (never clamped onto time)', () => {
    const grace = 1_000;
    const arbitrary = keyedEvents({ topic: 't', keys: ['k'], values: letters, maxStepMs: 300, maxJitterMs: 50, late: { graceMs: grace, every: 2 }, maxLength: 60 });
    let late = 0;
    for (const records of fc.sample(arbitrary, { numRuns: 100, seed: 5 })) {
      let streamTime = -Infinity;
      for (const { timestamp } of records) {
        const lag = streamTime - timestamp;
        if (lag > 50) {
          late++;
          expect(lag).toBeGreaterThan(grace);
        }
        streamTime = Math.max(streamTime, timestamp);
      }
    }
    expect(late).toBeGreaterThan(100);
  });
});

describe('deliveryWithinGrace', () => {
  const input = keyedEvents({ topic: 't', keys: ['a', 'b'], values: letters, maxStepMs: 400, maxJitterMs: 300, late: { graceMs: 500, every: 6 }, maxLength: 60 });

  it('is a permutation in which on-time records stay within grace and late records meet the stream time they met before', () => {
    fc.assert(fc.property(input, fc.array(fc.nat({ max: 20 }), { maxLength: 80 }), (records, delays) => {
      const order = deliveryWithinGrace(records, delays, 500);
      expect([...order].sort((x, y) => x - y)).toEqual(records.map((_, i) => i));
      const metBefore = streamTimesMet(records, records.map((_, i) => i));
      const metAfter = streamTimesMet(records, order);
      records.forEach((record, i) => {
        if (metBefore[i]! - record.timestamp >= 500) expect(metAfter[i]).toBe(metBefore[i]);
        else expect(metAfter[i]! - record.timestamp).toBeLessThan(500);
      });
    }), { numRuns: 200, seed: 6 });
  });

  it('moves records when delays say so, and keeps the order when there are none', () => {
    const records: InputRecord[] = [0, 100, 200, 300].map((timestamp) => ({ topic: 't', key: 'k', value: 'v', timestamp }));
    expect(deliveryWithinGrace(records, [], 500)).toEqual([0, 1, 2, 3]);
    expect(deliveryWithinGrace(records, [4], 500)).toEqual([1, 2, 3, 0]);
    // Waiting until after record 3 would leave record 0 300 ms behind: with 250 ms grace it goes first.
    expect(deliveryWithinGrace(records, [4], 250)).toEqual([1, 2, 0, 3]);
  });
});

/** The stream time each record meets when delivered in `order` (the newest timestamp before it). */
function streamTimesMet(records: readonly InputRecord[], order: readonly number[]): number[] {
  const met: number[] = [];
  let streamTime = -Infinity;
  for (const i of order) {
    met[i] = streamTime;
    streamTime = Math.max(streamTime, records[i]!.timestamp);
  }
  return met;
}

/** A running count per key kept in a processor field: lost on every restart (a planted bug). */
function countInMemory() {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(str, str)).process<string, string>(() => {
    const counts = new Map<string, number>();
    let context: { forward(record: unknown): void };
    return {
      init: (c) => void (context = c as never),
      process: (record) => {
        const count = (counts.get(record.key) ?? 0) + 1;
        counts.set(record.key, count);
        context.forward(record.withValue(String(count)));
      },
    };
  }).to('out', Produced.with(str, str));
  return builder.build();
}

/** The last value per window instead of a count: depends on delivery order (a planted bug). */
function lastValuePerWindow(graceMs: number) {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(str, str)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(1_000, graceMs))
    .reduce((_old, value) => value, Materialized.as('last'));
  return builder.build();
}

describe('shrinking to a minimal counterexample', () => {
  const input = keyedEvents({ topic: 'in', keys: ['a', 'b', 'c'], values: letters, maxStepMs: 200, maxLength: 60 });

  it.each([11, 12, 13])('restartIndependent on a count kept outside a store shrinks to two records (seed %i)', async (seed) => {
    const spec: PropertySpec = { topology: countInMemory, input, inputs: { in: strings }, outputs: { out: strings } };
    const failure = await restartIndependent(spec, { seed, numRuns: 100 }).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(PropertyFailure);
    const [records] = (failure as PropertyFailure).counterexample as [InputRecord[], number[]];
    expect(records).toHaveLength(2);
    expect((failure as PropertyFailure).message).toContain('restarting the application after record 1 of 2');
  });

  it.each([21, 22, 23])('orderInsensitiveWithinGrace on a last-value reduce shrinks to two records and prints the delivery order (seed %i)', async (seed) => {
    const spec = { topology: () => lastValuePerWindow(500), input, inputs: { in: strings }, stores: ['last'], graceMs: 500, config: { 'statestore.cache.max.bytes': 0 } };
    const failure = await orderInsensitiveWithinGrace(spec, { seed, numRuns: 200 }).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(PropertyFailure);
    const [records] = (failure as PropertyFailure).counterexample as [InputRecord[], number[]];
    expect(records).toHaveLength(2);
    expect((failure as PropertyFailure).message).toMatch(/delivering the records in the order #1@\d+ #0@\d+/);
  });
});

describe('specs', () => {
  it('a spec that names nothing to compare is an error, not a pass', async () => {
    const spec: PropertySpec = { topology: countInMemory, input: keyedEvents({ topic: 'in', keys: ['a'], values: letters }), inputs: { in: strings } };
    await expect(restartIndependent(spec)).rejects.toThrow(/names nothing to compare/);
    await expect(matchesModel({ ...spec, model: () => ({}) })).rejects.toThrow(/names nothing to compare/);
  });

  it('window stores are compared by windowed key ([key@start/end])', async () => {
    const windowed = () => {
      const builder = new StreamsBuilder();
      builder.stream('in', Consumed.with(str, str)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(1_000, 200))
        .count(Materialized.as<string, number>('counts').withRetention('P1D'));
      return builder.build();
    };
    await matchesModel({
      topology: windowed, input: keyedEvents({ topic: 'in', keys: ['a', 'b'], values: letters, maxStepMs: 400, maxLength: 30 }), inputs: { in: strings }, stores: ['counts'],
      observe: (result) => Object.fromEntries(result.stores.get('counts')!), model: windowCounts,
    }, { seed: 32, numRuns: 30 });
  });

  it('endOfInput lets a final-results count compare across partition counts, and its absence is explained', async () => {
    const finalCounts = () => {
      const builder = new StreamsBuilder();
      builder.stream('in', Consumed.with(str, str)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(1_000, 200)).count()
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream().to('final', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(str, 1_000), Serdes.Long()));
      return builder.build();
    };
    const base = {
      topology: finalCounts, input: keyedEvents({ topic: 'in', keys: ['a', 'b', 'c', 'd'], values: letters, maxStepMs: 400, minLength: 3, maxLength: 30 }),
      inputs: { in: strings }, outputs: { final: { keySerde: WindowedSerdes.timeWindowedSerdeFrom(str, 1_000), valueSerde: Serdes.Long() } },
    };
    const without = await partitionCountIndependent(base, { seed: 31, numRuns: 50 }).then(() => undefined, (e: unknown) => e);
    expect(without).toBeInstanceOf(PropertyFailure);
    expect((without as Error).message).toContain('give the spec `endOfInput: { advanceMs }`');
    await partitionCountIndependent({ ...base, endOfInput: { advanceMs: 1_300 } }, { seed: 31, numRuns: 50 });
    // Every window is emitted once, with its whole count, and nothing of the closing records.
    await matchesModel({ ...base, endOfInput: { advanceMs: 1_300 }, model: (records) => ({ stores: {}, outputs: { final: windowCounts(records) } }) }, { seed: 33, numRuns: 30 });
  });
});

/** Records per key and tumbling 1 s window, keyed as a spec's results key windows. */
function windowCounts(records: readonly InputRecord[]): { [window: string]: number } {
  const counts: { [window: string]: number } = {};
  for (const r of records) {
    const start = Math.floor(r.timestamp / 1_000) * 1_000;
    const id = `[${r.key}@${start}/${start + 1_000}]`;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('replay variables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['KSTREAMS_PROPERTY_NAME', 'KSTREAMS_PROPERTY_SEED', 'KSTREAMS_PROPERTY_PATH']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  const firstValue = async (invariant: string): Promise<number> => {
    let first: number | undefined;
    await checkProperty(invariant, fc.integer(), async (n) => void (first ??= n), { numRuns: 1 });
    return first!;
  };

  it('apply only to the property KSTREAMS_PROPERTY_NAME names', async () => {
    const [seeded] = fc.sample(fc.integer(), { seed: 42, numRuns: 1 });
    process.env['KSTREAMS_PROPERTY_SEED'] = '42';
    process.env['KSTREAMS_PROPERTY_NAME'] = `${expect.getState().currentTestName} / named`;
    expect(await firstValue('named')).toBe(seeded);
    const others = new Set<number>();
    for (let i = 0; i < 5; i++) others.add(await firstValue('another'));
    expect(others.size).toBeGreaterThan(1);
  });
});
