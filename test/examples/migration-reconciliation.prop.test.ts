import { describe, it } from 'vitest';
import { Serdes } from '../../src/serde/index.ts';
import { matchesModel, partitionCountIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { MISMATCH_STORE, TOPICS, buildReconciliationTopology, compare } from '../../topology-examples/migration-reconciliation.ts';
import { exampleInput, migrationKeys } from './workloads.ts';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const spec: PropertySpec = {
  topology: buildReconciliationTopology,
  ...exampleInput('migration-reconciliation'),
  outputs: { [TOPICS.mismatches]: strings },
  stores: [MISMATCH_STORE],
  config: { 'statestore.cache.max.bytes': 0 },
};

describe('migration-reconciliation example (properties)', () => {
  it('the mismatches are exactly the orders whose final ORDER and ORDERNEW versions differ', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => {
        const tables: { [topic: string]: Map<string, string> } = { [TOPICS.old]: new Map(), [TOPICS.migrated]: new Map() };
        for (const { topic, key, value } of input) {
          if (value === null) tables[topic]!.delete(key as string);
          else tables[topic]!.set(key as string, value as string);
        }
        const mismatches: { [id: string]: string } = {};
        for (const id of migrationKeys) {
          const result = compare(tables[TOPICS.old]!.get(id) ?? null, tables[TOPICS.migrated]!.get(id) ?? null);
          if (result !== null) mismatches[id] = result;
        }
        return { stores: { [MISMATCH_STORE]: mismatches }, outputs: { [TOPICS.mismatches]: mismatches } };
      },
    }, { numRuns: 50, seed: 181 });
  });

  it('finds the same mismatches whatever the partition count', async () => {
    await partitionCountIndependent(spec, { numRuns: 20, seed: 182 });
  });
});
