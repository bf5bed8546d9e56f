import { describe, it } from 'vitest';
import { Serdes } from '../../src/serde/index.ts';
import { matchesModel, partitionCountIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { ERRORS_STORE, TOPICS, buildLogAggregationTopology, parseLogLine } from '../../topology-examples/log-aggregation.ts';
import { exampleInput } from './workloads.ts';

const spec: PropertySpec = {
  topology: buildLogAggregationTopology,
  ...exampleInput('log-aggregation'),
  outputs: { [TOPICS.access]: { keySerde: Serdes.String(), valueSerde: Serdes.Json() }, [TOPICS.parseErrors]: { keySerde: Serdes.String(), valueSerde: Serdes.String() } },
  stores: [ERRORS_STORE],
  config: { 'statestore.cache.max.bytes': 0 },
  observe: (result) => ({
    errors: Object.fromEntries(result.stores.get(ERRORS_STORE)!),
    lines: (result.outputs.get(TOPICS.access)?.length ?? 0) + (result.outputs.get(TOPICS.parseErrors)?.length ?? 0),
  }),
};

describe('log-aggregation example (properties)', () => {
  it('counts server errors per service exactly, and loses no line', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => {
        const errors: { [service: string]: number } = {};
        for (const record of input) {
          const entry = parseLogLine(record.value as string);
          if (entry !== null && entry.status >= 500) errors[entry.service] = (errors[entry.service] ?? 0) + 1;
        }
        return { errors, lines: input.length };
      },
    }, { numRuns: 40, seed: 111 });
  });

  it('gives the same counts over 1, 2 and 4 partitions', async () => {
    await partitionCountIndependent(spec, { numRuns: 20, seed: 112 });
  });
});
