import { describe, it } from 'vitest';
import { matchesModel, partitionCountIndependent, restartIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { READ_MODEL_STORE, buildCqrsReadModelTopology } from '../../topology-examples/cqrs-read-model.ts';
import type { OpenOrders, OrderState } from '../../topology-examples/cqrs-read-model.ts';
import { exampleInput } from './workloads.ts';

const spec: PropertySpec = {
  topology: buildCqrsReadModelTopology,
  ...exampleInput('cqrs-read-model'),
  stores: [READ_MODEL_STORE],
  config: { 'statestore.cache.max.bytes': 0 },
};

describe('cqrs-read-model example (properties)', () => {
  it('open orders per customer equal a query over the latest state of every order', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => {
        const latest = new Map<string, OrderState>();
        for (const { key, value } of input) {
          if (value === null) latest.delete(key as string);
          else latest.set(key as string, value as OrderState);
        }
        const model: { [customer: string]: OpenOrders } = {};
        const touched = new Set<string>();
        for (const { value } of input) if (value !== null && (value as OrderState).open) touched.add((value as OrderState).customerId);
        // A customer who ever had an open order keeps a row (possibly back to zero), as an aggregate does.
        for (const customer of touched) model[customer] = { count: 0, cents: 0 };
        for (const state of latest.values()) {
          if (!state.open) continue;
          const current = model[state.customerId]!;
          model[state.customerId] = { count: current.count + 1, cents: current.cents + state.cents };
        }
        return { stores: { [READ_MODEL_STORE]: model }, outputs: {} };
      },
    }, { numRuns: 40, seed: 171 });
  });

  it('is the same across partitions and restarts', async () => {
    await partitionCountIndependent(spec, { numRuns: 20, seed: 172 });
    await restartIndependent(spec, { numRuns: 20, seed: 173, partitions: 2 });
  });
});
