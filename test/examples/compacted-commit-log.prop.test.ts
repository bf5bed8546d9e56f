import { describe, it } from 'vitest';
import { Serdes } from '../../src/serde/index.ts';
import { matchesModel, partitionCountIndependent, restartIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { LATEST_STORE, TOPICS, buildCompactedLogTopology } from '../../topology-examples/compacted-commit-log.ts';
import { exampleInput, lastValuePerKey } from './workloads.ts';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const spec: PropertySpec = {
  topology: buildCompactedLogTopology,
  ...exampleInput('compacted-commit-log'),
  outputs: { [TOPICS.state]: strings },
  stores: [LATEST_STORE],
  config: { 'statestore.cache.max.bytes': 0 },
};

describe('compacted-commit-log example (properties)', () => {
  it('the latest state per entity (store, and the output topic read as compaction leaves it) is the last update', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => {
        const latest = Object.fromEntries(lastValuePerKey(input));
        return { stores: { [LATEST_STORE]: latest }, outputs: { [TOPICS.state]: latest } };
      },
    }, { numRuns: 50, seed: 191 });
  });

  it('is the same across partitions and restarts', async () => {
    await partitionCountIndependent(spec, { numRuns: 20, seed: 192 });
    await restartIndependent(spec, { numRuns: 20, seed: 193, partitions: 3 });
  });
});
