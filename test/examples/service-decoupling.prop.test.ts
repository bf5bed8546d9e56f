import { describe, it } from 'vitest';
import { Serdes } from '../../src/serde/index.ts';
import { matchesModel, partitionCountIndependent } from '../../src/testing/index.ts';
import type { InputRecord, PropertySpec } from '../../src/testing/index.ts';
import { buildServiceDecouplingTopology, TOPICS } from '../../topology-examples/service-decoupling.ts';
import type { OrderEvent } from '../../topology-examples/service-decoupling.ts';
import { exampleInput } from './workloads.ts';

const json = { keySerde: Serdes.String(), valueSerde: Serdes.Json() };
const spec: PropertySpec = {
  topology: buildServiceDecouplingTopology,
  ...exampleInput('service-decoupling'),
  outputs: { [TOPICS.reservations]: json, [TOPICS.payments]: json, [TOPICS.shipping]: json, [TOPICS.releases]: json },
  // What each service receives: the number of messages per order id.
  observe: (result) => Object.fromEntries([...result.outputs].map(([topic, records]) => [topic, countBy(records.map((r) => String(r.key)))])),
};

function countBy(keys: string[]): { [key: string]: number } {
  const counts: { [key: string]: number } = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

describe('service-decoupling example (properties)', () => {
  it('every placed order reaches inventory, payment and shipping once; every cancellation reaches inventory', async () => {
    await matchesModel({
      ...spec,
      model: (input: InputRecord[]) => {
        const events = input as Array<InputRecord<string, OrderEvent>>;
        const placed = countBy(events.filter((e) => e.value?.status === 'placed').map((e) => e.key!));
        return { [TOPICS.reservations]: placed, [TOPICS.payments]: placed, [TOPICS.shipping]: placed, [TOPICS.releases]: countBy(events.filter((e) => e.value?.status === 'cancelled').map((e) => e.key!)) };
      },
    }, { numRuns: 40, seed: 101 });
  });

  it('fans out the same whatever the partition count', async () => {
    await partitionCountIndependent(spec, { numRuns: 20, seed: 102 });
  });
});
