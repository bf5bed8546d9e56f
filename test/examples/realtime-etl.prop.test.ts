import { describe, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { keyedEvents, matchesModel, partitionCountIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { TOPICS, buildRealtimeEtlTopology, clean } from '../../topology-examples/realtime-etl.ts';
import type { RawSignup } from '../../topology-examples/realtime-etl.ts';
import { exampleInput, rawSignup } from './workloads.ts';

const spec: PropertySpec = {
  topology: buildRealtimeEtlTopology,
  ...exampleInput('realtime-etl'),
  outputs: { [TOPICS.eu]: { keySerde: Serdes.String(), valueSerde: Serdes.Json() }, [TOPICS.other]: { keySerde: Serdes.String(), valueSerde: Serdes.Json() } },
  observe: (result) => Object.fromEntries([...result.outputs].map(([topic, records]) => [topic, records.map((r) => [r.key, r.value])])),
};

describe('realtime-etl example (properties)', () => {
  it('equals a batch clean → enrich (regions known at each sign-up) → route', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => {
        const regions = new Map<string, string>();
        const out: { [topic: string]: unknown[] } = { [TOPICS.eu]: [], [TOPICS.other]: [] };
        for (const record of input) {
          if (record.topic === TOPICS.regions) {
            if (record.value === null) regions.delete(record.key as string);
            else regions.set(record.key as string, record.value as string);
            continue;
          }
          const cleaned = record.value === null ? null : clean(record.value as RawSignup);
          if (cleaned === null) continue;
          const region = regions.get(cleaned.country) ?? 'unknown';
          out[region === 'EU' ? TOPICS.eu : TOPICS.other]!.push([cleaned.email, { ...cleaned, region }]);
        }
        return out;
      },
    }, { numRuns: 40, seed: 121 });
  });

  it('routes the same set of customers whatever the partition count', async () => {
    await partitionCountIndependent({
      ...spec,
      // Across partitions the arrival order between keys differs; compare what each topic received, sorted.
      input: fc.tuple(
        keyedEvents({ topic: TOPICS.regions, keys: ['DE', 'FR', 'US'], values: fc.constantFrom('EU', 'AMERICAS'), minLength: 3, maxLength: 3 }),
        keyedEvents({ topic: TOPICS.signups, keys: ['s1', 's2', 's3'], values: rawSignup }),
      ).map(([regions, signups]) => [...regions, ...signups]),
      observe: (result) => Object.fromEntries([...result.outputs].map(([topic, records]) => [topic, records.map((r) => JSON.stringify([r.key, r.value])).sort()])),
    }, { numRuns: 20, seed: 122 });
  });
});
