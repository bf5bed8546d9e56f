import fc from 'fast-check';
import { describe, it } from 'vitest';
import { TableGroupByNode } from '../../src/dsl/aggregation-node.ts';
import { aggregateGroupedTable } from '../../src/dsl/kgrouped-table.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { counterNames } from './support/names.ts';
import { Serdes } from '../../src/serde/index.ts';
import { tableSource, toStream } from './support/table-processors.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

const RUNS = { seed: 424242, numRuns: 50 };

/** Rows `row0`…`row5` hold amounts; each row belongs to the group named by its amount's parity. */
const updates = fc.array(
  fc.record({ row: fc.constantFrom('row0', 'row1', 'row2', 'row3', 'row4', 'row5'), amount: fc.option(fc.integer({ min: -50, max: 50 }), { freq: 5 }) }),
  { maxLength: 40 },
);
const groupOf = (amount: number) => (Math.abs(amount) % 2 === 0 ? 'even' : 'odd');

describe('KGroupedTable aggregation properties', () => {
  it('after any upserts and deletes, each group holds the sum of the rows currently in it', async () => {
    await fc.assert(
      fc.asyncProperty(updates, async (changes) => {
        const names = counterNames(2);
        const topology = new Topology()
          .addSource({ name: 'table-source', topics: ['rows'], keySerde: stringSerde, valueSerde: longSerde })
          .addProcessor('table', tableSource, 'table-source');
        const select = new TableGroupByNode(names, {
          parentName: 'table', selector: (_row: string, amount: number) => [groupOf(amount), amount], keySerde: stringSerde, valueSerde: longSerde,
          groupedName: undefined, processorName: undefined,
        });
        const { node } = aggregateGroupedTable(names, select, () => 0, (_g, v, sum: number) => sum + v, (_g, v, sum) => sum - v, { materialized: { valueSerde: longSerde } });
        select.writeTo(topology);
        node.writeTo(topology);
        topology.addProcessor('to-stream', toStream, node.processorName)
          .addSink({ name: 'sink', topic: 'sums', keySerde: stringSerde, valueSerde: longSerde }, 'to-stream');

        const driver = new TopologyTestDriver(topology, { 'application.id': 'prop', 'statestore.cache.max.bytes': 0 });
        try {
          const input = driver.createInputTopic('rows', stringSerde, longSerde);
          for (const { row, amount } of changes) await input.pipeInput(row, amount);
          const latest = driver.createOutputTopic('sums', stringSerde, longSerde).readKeyValuesToMap();

          const table = new Map<string, number>();
          for (const { row, amount } of changes) {
            if (amount === null) table.delete(row);
            else table.set(row, amount);
          }
          const expected = new Map<string, number>();
          for (const amount of table.values()) expected.set(groupOf(amount), (expected.get(groupOf(amount)) ?? 0) + amount);
          for (const group of ['even', 'odd']) {
            // A group never joined has no output; one that emptied out ends at 0.
            const got = latest.get(group);
            const want = expected.get(group) ?? (got === undefined ? undefined : 0);
            if (got !== want) throw new Error(`group ${group}: got ${String(got)}, expected ${String(want)}`);
          }
        } finally {
          await driver.close();
        }
      }),
      RUNS,
    );
  });
});
