import fc from 'fast-check';
import { describe, it } from 'vitest';
import { streamAggregateProcessor } from '../../src/dsl/processors/aggregate-stream.ts';
import type { Aggregator, Initializer } from '../../src/dsl/processors/aggregate-stream.ts';
import { Stores } from '../../src/state/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { toStream } from './support/table-processors.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

const RUNS = { seed: 20261124, numRuns: 60 };

/** A grouped stream of numbers aggregated into a Long table and streamed out, caching off. */
async function runAggregation(
  inputs: ReadonlyArray<{ key: string | null; value: number | null }>,
  initializer: Initializer<number>,
  aggregator: Aggregator<string, number, number>,
) {
  const topology = new Topology()
    .addSource({ name: 'source', topics: ['in'], keySerde: stringSerde, valueSerde: longSerde })
    .addProcessor('agg', streamAggregateProcessor('agg-store', initializer, aggregator), 'source')
    .addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('agg-store'), stringSerde, longSerde), 'agg')
    .addProcessor('to-stream', toStream, 'agg')
    .addSink({ name: 'sink', topic: 'out', keySerde: stringSerde, valueSerde: longSerde }, 'to-stream');
  const driver = new TopologyTestDriver(topology, { 'application.id': 'prop', 'statestore.cache.max.bytes': 0 });
  try {
    const input = driver.createInputTopic('in', stringSerde, longSerde);
    for (const { key, value } of inputs) await input.pipeInput(key, value);
    return driver.createOutputTopic('out', stringSerde, longSerde).readKeyValuesToList();
  } finally {
    await driver.close();
  }
}

/** The expected emissions: one per record with a key and a value, carrying the running fold of its key. */
function referenceFold(
  inputs: ReadonlyArray<{ key: string | null; value: number | null }>,
  initial: number,
  step: (aggregate: number, value: number) => number,
) {
  const state = new Map<string, number>();
  const emitted: Array<{ key: string; value: number }> = [];
  for (const { key, value } of inputs) {
    if (key === null || value === null) continue;
    const next = step(state.get(key) ?? initial, value);
    state.set(key, next);
    emitted.push({ key, value: next });
  }
  return emitted;
}

const records = fc.array(
  fc.record({
    key: fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { freq: 8 }),
    value: fc.option(fc.integer({ min: -1000, max: 1000 }), { freq: 8 }),
  }),
  { maxLength: 40 },
);

describe('stream aggregation properties', () => {
  it('count equals a reference fold for any input', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (inputs) => {
        const emitted = await runAggregation(inputs, () => 0, (_key, _value, count) => count + 1);
        const expected = referenceFold(inputs, 0, (count) => count + 1);
        if (JSON.stringify(emitted) !== JSON.stringify(expected)) throw new Error(`got ${JSON.stringify(emitted)}, expected ${JSON.stringify(expected)}`);
      }),
      RUNS,
    );
  });

  it('a keyed sum with aggregate equals a reference fold for any input', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (inputs) => {
        const emitted = await runAggregation(inputs, () => 0, (_key, value, sum) => sum + value);
        const expected = referenceFold(inputs, 0, (sum, value) => sum + value);
        if (JSON.stringify(emitted) !== JSON.stringify(expected)) throw new Error(`got ${JSON.stringify(emitted)}, expected ${JSON.stringify(expected)}`);
      }),
      RUNS,
    );
  });
});
