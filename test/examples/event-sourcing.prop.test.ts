import { describe, it } from 'vitest';
import fc from 'fast-check';
import { Serdes } from '../../src/serde/index.ts';
import { keyedEvents, matchesModel, partitionCountIndependent, restartIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { BALANCES_STORE, OPENED, TOPICS, apply, buildEventSourcingTopology } from '../../topology-examples/event-sourcing.ts';
import type { Account, AccountEvent } from '../../topology-examples/event-sourcing.ts';

const event: fc.Arbitrary<AccountEvent> = fc.record({ type: fc.constantFrom('deposit' as const, 'withdrawal' as const), cents: fc.integer({ min: 1, max: 500 }) });
const spec: PropertySpec = {
  topology: buildEventSourcingTopology,
  input: keyedEvents({ topic: TOPICS.events, keys: ['acc-1', 'acc-2', 'acc-3'], keyDistribution: 'skewed', values: event }),
  inputs: { [TOPICS.events]: { keySerde: Serdes.String(), valueSerde: Serdes.Json() } },
  stores: [BALANCES_STORE],
  config: { 'statestore.cache.max.bytes': 0 },
};

describe('event-sourcing example (properties)', () => {
  it('balances equal a replay (fold) of each account\'s events', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => {
        const accounts: { [id: string]: Account } = {};
        for (const { key, value } of input) accounts[key as string] = apply(accounts[key as string] ?? OPENED, value as AccountEvent);
        return { stores: { [BALANCES_STORE]: accounts }, outputs: {} };
      },
    }, { numRuns: 40, seed: 151 });
  });

  it('is rebuilt the same across partitions and across restarts from the changelog', async () => {
    await partitionCountIndependent(spec, { numRuns: 20, seed: 152 });
    await restartIndependent(spec, { numRuns: 20, seed: 153, partitions: 2 });
  });
});
