import { Serdes } from '../../../src/serde/index.ts';
import { TopologyTestDriver } from '../../../src/testing/index.ts';
import type { Topology } from '../../../src/topology/index.ts';

/** One input of Kafka's join integration tests: the topic side, key (0 unless given), value and timestamp. */
export type JoinInput = readonly ['left' | 'right', string | null, number, (number | null)?];

/**
 * Kafka's join test input (AbstractJoinIntegrationTest): every record has key 0; nulls are
 * tombstones for tables and skipped values for streams; the tail has out-of-order timestamps.
 */
export const KAFKA_JOIN_INPUT: readonly JoinInput[] = [
  ['left', null, 1], ['right', null, 2], ['left', 'A', 3], ['right', 'a', 4], ['left', 'B', 5], ['right', 'b', 6],
  ['left', null, 7], ['right', null, 8], ['left', 'C', 9], ['right', 'c', 10], ['right', null, 11], ['left', null, 12],
  ['right', null, 13], ['right', 'd', 7], ['left', 'D', 6], ['left', null, 2], ['right', null, 3], ['right', 'e', 14],
  ['left', 'E', 15], ['left', null, 10], ['right', null, 9], ['left', 'F', 4], ['right', 'f', 3],
];

/** Kafka's join input without out-of-order data; the last two records have a null key. */
export const KAFKA_JOIN_INPUT_IN_ORDER: readonly JoinInput[] = [
  ['left', null, 1], ['right', null, 2], ['left', 'A', 3], ['right', 'a', 4], ['left', 'B', 5], ['right', 'b', 6],
  ['left', null, 7], ['right', null, 8], ['left', 'C', 9], ['right', 'c', 10], ['right', null, 11], ['left', null, 12],
  ['right', null, 13], ['right', 'd', 14], ['left', 'D', 15], ['left', 'E', 16, null], ['right', 'e', 17, null],
];

/** Kafka's value joiner in those tests: `left-right`, a missing side printed as null. */
export const joinValues = (left: string | null, right: string | null): string => `${left}-${right}`;

/**
 * Pipes the inputs one by one and returns what the output topic received after each, as
 * `value@timestamp` (or `key:value@timestamp` for a key other than 0), `[]` when nothing.
 */
export async function outputsPerInput(topology: Topology, inputs: readonly JoinInput[], config: { [key: string]: unknown } = {}): Promise<string[][]> {
  const driver = new TopologyTestDriver(topology, {
    'application.id': 'joins',
    'statestore.cache.max.bytes': 0,
    'default.key.serde': Serdes.Long(),
    'default.value.serde': Serdes.String(),
    'emit.interval.ms.kstreams.outer.join.spurious.results.fix': 0,
    ...config,
  });
  try {
    const topics = { left: driver.createInputTopic('left', Serdes.Long(), Serdes.String()), right: driver.createInputTopic('right', Serdes.Long(), Serdes.String()) };
    const output = driver.createOutputTopic('output', Serdes.Long(), Serdes.String());
    const steps: string[][] = [];
    for (const [side, value, timestamp, key] of inputs) {
      await topics[side].pipeInput(key === undefined ? 0 : key, value, timestamp);
      steps.push((await output.readRecordsToList()).map((r) => `${r.key === 0 ? '' : `${r.key}:`}${r.value}@${r.timestamp}`));
    }
    return steps;
  } finally {
    await driver.close();
  }
}
