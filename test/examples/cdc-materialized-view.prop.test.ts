import { describe, it } from 'vitest';
import { Serdes } from '../../src/serde/index.ts';
import { matchesModel, partitionCountIndependent, restartIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { TOPICS, VIEW_STORE, buildCdcViewTopology } from '../../topology-examples/cdc-materialized-view.ts';
import type { ChangeEvent, CustomerRow } from '../../topology-examples/cdc-materialized-view.ts';
import { exampleInput } from './workloads.ts';

const spec: PropertySpec = {
  topology: buildCdcViewTopology,
  ...exampleInput('cdc-materialized-view'),
  outputs: { [TOPICS.view]: { keySerde: Serdes.String(), valueSerde: Serdes.Json() } },
  stores: [VIEW_STORE],
  config: { 'statestore.cache.max.bytes': 0 },
};

describe('cdc-materialized-view example (properties)', () => {
  it('the view (store and compacted topic) equals the change events replayed on a map, deletes included', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => {
        const table: { [id: string]: CustomerRow } = {};
        for (const { key, value } of input) {
          const event = value as ChangeEvent;
          if (event.op === 'd') delete table[key as string];
          else table[key as string] = event.after!;
        }
        return { stores: { [VIEW_STORE]: table }, outputs: { [TOPICS.view]: table } };
      },
    }, { numRuns: 40, seed: 161 });
  });

  it('is the same across partitions and restarts', async () => {
    await partitionCountIndependent(spec, { numRuns: 20, seed: 162 });
    await restartIndependent(spec, { numRuns: 20, seed: 163 });
  });
});
