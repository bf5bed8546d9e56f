import { describe, it } from 'vitest';
import { matchesModel, partitionCountIndependent, restartIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { BALANCES_STORE, buildEventSourcingTopology } from '../../topology-examples/event-sourcing.ts';
import { accountsAfter, exampleInput } from './workloads.ts';

const spec: PropertySpec = {
  topology: buildEventSourcingTopology,
  ...exampleInput('event-sourcing'),
  stores: [BALANCES_STORE],
  config: { 'statestore.cache.max.bytes': 0 },
};

describe('event-sourcing example (properties)', () => {
  it('balances equal a replay (fold) of each account\'s events', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => ({ stores: { [BALANCES_STORE]: Object.fromEntries(accountsAfter(input)) }, outputs: {} }),
    }, { numRuns: 40, seed: 151 });
  });

  it('is rebuilt the same across partitions and across restarts from the changelog', async () => {
    await partitionCountIndependent(spec, { numRuns: 20, seed: 152 });
    await restartIndependent(spec, { numRuns: 20, seed: 153, partitions: 2 });
  });
});
