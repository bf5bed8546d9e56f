import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Consumed, Grouped, Materialized, Produced, StreamsBuilder, TimeWindows } from '../../src/dsl/index.ts';
import { Serdes, WindowedSerdes } from '../../src/serde/index.ts';
import { Stores } from '../../src/state/index.ts';
import type { KeyValueStore } from '../../src/state/index.ts';
import {
  PropertyFailure, correlated, deterministic, interleave, keyedEvents, matchesModel, orderInsensitiveWithinGrace, partitionCountIndependent, restartIndependent,
} from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';

const str = Serdes.String();
const strings = { keySerde: str, valueSerde: str };
const regions = fc.constantFrom('eu', 'us', 'asia');
const visits = keyedEvents({ topic: 'visits', keys: ['u1', 'u2', 'u3', 'u4', 'u5'], values: regions, maxJitterMs: 0 });

/** Visits per region: re-keyed by region, so the count must go through a repartition topic. */
function visitsPerRegion() {
  const builder = new StreamsBuilder();
  builder.stream('visits', Consumed.with(str, str)).groupBy((_user, region) => region, Grouped.with(str, str)).count(Materialized.as('per-region'));
  return builder.build();
}

/** The same count done wrong: re-keyed, then counted in a Processor API store with no repartition. */
function visitsPerRegionWithoutRepartition() {
  const builder = new StreamsBuilder();
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('per-region'), str, Serdes.Long()));
  builder.stream('visits', Consumed.with(str, str)).selectKey((_user, region) => region).process<never, never>(() => {
    let store: KeyValueStore<string, number>;
    return {
      init: (context) => void (store = context.getStateStore('per-region')),
      process: (record) => store.put(record.key, (store.get(record.key) ?? 0) + 1),
    };
  }, 'per-region');
  return builder.build();
}

const countModel = (input: InputRecord[]) => {
  const counts: { [region: string]: number } = {};
  for (const { value } of input) counts[value as string] = (counts[value as string] ?? 0) + 1;
  return { stores: { 'per-region': counts }, outputs: {} };
};

const spec = (topology: () => ReturnType<typeof visitsPerRegion>): PropertySpec => ({
  topology, input: visits, inputs: { visits: strings }, stores: ['per-region'], config: { 'statestore.cache.max.bytes': 0 },
});

describe('generators', () => {
  it('keyedEvents: out-of-order by at most the jitter, late records beyond grace, tombstones, duplicates and a hot key', () => {
    const arbitrary = keyedEvents({
      topic: 't', keys: ['hot', 'a', 'b', 'c', 'd', 'e'], keyDistribution: 'skewed', values: fc.nat(9), minLength: 200, maxLength: 200,
      maxJitterMs: 50, late: { graceMs: 100, every: 10 }, tombstoneRate: 0.2, duplicateRate: 0.1, maxStepMs: 100,
    });
    const [records] = fc.sample(arbitrary, { numRuns: 1, seed: 1 });
    let newest = 0;
    let late = 0;
    for (const record of records!) {
      if (record.timestamp < newest - 50) {
        late++;
        expect(record.timestamp).toBeLessThan(newest - 100);
      }
      newest = Math.max(newest, record.timestamp);
    }
    expect(late).toBeGreaterThan(0);
    expect(records!.filter((r) => r.value === null).length).toBeGreaterThan(10);
    expect(records!.filter((r) => r.key === 'hot').length).toBeGreaterThan(records!.length / 3);
    expect(records!.some((r, i) => i > 0 && r === records![i - 1])).toBe(true);
  });

  it('interleave keeps each topic\'s own order', () => {
    const a = keyedEvents({ topic: 'a', keys: ['k'], values: fc.nat(), maxStepMs: 10 });
    const b = keyedEvents({ topic: 'b', keys: ['k'], values: fc.nat(), maxStepMs: 10 });
    fc.assert(fc.property(fc.tuple(a, b).chain(([x, y]) => fc.tuple(fc.constant(x), fc.constant(y), interleave(fc.constant(x), fc.constant(y)))), ([x, y, merged]) => {
      expect(merged.filter((r) => r.topic === 'a')).toEqual(x);
      expect(merged.filter((r) => r.topic === 'b')).toEqual(y);
    }), { numRuns: 50, seed: 2 });
  });
});

describe('correlated', () => {
  it('derives a second topic\'s records from the first, with the same keys, some dropped', () => {
    const orders = keyedEvents({ topic: 'orders', keys: ['o1', 'o2', 'o3'], values: fc.nat(100), minLength: 5 });
    fc.assert(fc.property(orders.chain((o) => fc.tuple(fc.constant(o), correlated(o, 'payments', (order) => fc.option(fc.constant(order.value)), fc.nat(50)))), ([o, payments]) => {
      expect(payments.length).toBeLessThanOrEqual(o.length);
      for (const payment of payments) {
        expect(payment.topic).toBe('payments');
        expect(o.some((order) => order.key === payment.key && order.value === payment.value && payment.timestamp >= order.timestamp)).toBe(true);
      }
    }), { numRuns: 50, seed: 3 });
  });
});

describe('invariants', () => {
  it('matchesModel passes for a correct topology, over several partitions too', async () => {
    await matchesModel({ ...spec(visitsPerRegion), model: countModel }, { numRuns: 30, seed: 4 });
    await matchesModel({ ...spec(visitsPerRegion), model: countModel }, { numRuns: 30, seed: 4, partitions: 3 });
  });

  it('partitionCountIndependent catches a count that forgets to repartition, with a small counterexample and a replay line', async () => {
    await partitionCountIndependent(spec(visitsPerRegion), { numRuns: 30, seed: 5 });
    const failure = await partitionCountIndependent(spec(visitsPerRegionWithoutRepartition), { numRuns: 100, seed: 5 }).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(PropertyFailure);
    const { counterexample, message } = failure as PropertyFailure;
    expect((counterexample as InputRecord[]).length).toBeLessThanOrEqual(3);
    expect(message).toContain('partitionCountIndependent does not hold');
    expect(message).toMatch(/Replay it: KSTREAMS_PROPERTY_NAME='invariants > partitionCountIndependent catches [^']+ \/ partitionCountIndependent' KSTREAMS_PROPERTY_SEED=5 KSTREAMS_PROPERTY_PATH=\S+ npx vitest run test\/testing\/property-kit\.test\.ts -t '\^invariants > partitionCountIndependent catches/);
  });

  it('restartIndependent: restoring from changelogs at arbitrary points changes no final table', async () => {
    await restartIndependent(spec(visitsPerRegion), { numRuns: 30, seed: 6 });
    await restartIndependent(spec(visitsPerRegion), { numRuns: 20, seed: 6, partitions: 2 });
  });

  it('orderInsensitiveWithinGrace holds with enough grace and fails without it', async () => {
    const windowed = (graceMs: number): PropertySpec & { graceMs: number } => ({
      graceMs: 500,
      topology: () => {
        const builder = new StreamsBuilder();
        builder.stream('visits', Consumed.with(str, str)).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(1_000, graceMs)).count()
          .toStream().to('counts', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(str, 1_000), Serdes.Long()));
        return builder.build();
      },
      input: keyedEvents({ topic: 'visits', keys: ['u1', 'u2'], values: regions, maxStepMs: 300 }),
      inputs: { visits: strings },
      outputs: { counts: { keySerde: WindowedSerdes.timeWindowedSerdeFrom(str, 1_000), valueSerde: Serdes.Long() } },
      config: { 'statestore.cache.max.bytes': 0 },
    });
    await orderInsensitiveWithinGrace(windowed(500), { numRuns: 40, seed: 7 });
    await expect(orderInsensitiveWithinGrace(windowed(0), { numRuns: 100, seed: 7 })).rejects.toBeInstanceOf(PropertyFailure);
  });

  it('deterministic catches a topology that depends on something other than its input', async () => {
    await deterministic({ ...spec(visitsPerRegion), outputs: {} }, { numRuns: 20, seed: 8 });
    let calls = 0;
    const flaky = () => {
      const builder = new StreamsBuilder();
      builder.stream('visits', Consumed.with(str, str)).mapValues((region) => `${region}-${calls++}`).to('out', Produced.with(str, str));
      return builder.build();
    };
    const failure = deterministic({ topology: flaky, input: visits, inputs: { visits: strings }, outputs: { out: strings } }, { numRuns: 20, seed: 8 });
    await expect(failure).rejects.toThrow(/a second run of the same input gives other output/);
  });
});
