import fc from 'fast-check';
import { Consumed, Materialized, Produced, Serdes, Suppressed } from '../../src/index.ts';
import type { KTable, StreamsBuilder } from '../../src/index.ts';
import { interleave, keyedEvents } from '../../src/testing/index.ts';
import type { CaseRecord } from './cases.ts';

/**
 * Reference topologies for source tables with and without a store (Kafka's KTableSource
 * materializes only when something reads it) and for what that changes downstream: a filter sends
 * old values only behind a materialized parent. `java/src/.../ReferenceTopologiesTables.java`
 * builds the same ones with Kafka Streams.
 */

const str = Serdes.String();
const START = 60_000;

function table(builder: StreamsBuilder, topic: string): KTable<string, string> {
  return builder.table(topic, Consumed.with(str, str));
}

const notL2 = (_key: string, value: string): boolean => value !== 'l2';

function toOut(result: KTable<string, string>): void {
  result.toStream().to('out', Produced.with(str, str));
}

export const TABLE_BUILDERS = {
  'table-filter-unmaterialized': (b: StreamsBuilder) => toOut(table(b, 'left').filter(notL2)),
  'table-filter-materialized': (b: StreamsBuilder) => toOut(b.table('left', Consumed.with(str, str), Materialized.as('left-store')).filter(notL2)),
  'table-filter-read-by-join': (b: StreamsBuilder) => b.stream('right', Consumed.with(str, str))
    .leftJoin(table(b, 'left').mapValues((v) => `${v}!`).filter((_key, value) => value !== 'l2!'), (r, l) => `${r}+${l}`)
    .to('out', Produced.with(str, str)),
  'to-table-unread': (b: StreamsBuilder) => toOut(b.stream('left', Consumed.with(str, str)).toTable().filter(notL2)),
  'table-suppress-time-limit': (b: StreamsBuilder) => toOut(table(b, 'left').suppress(Suppressed.untilTimeLimit(5_000, Suppressed.BufferConfig.unbounded()))),
} satisfies Record<string, (builder: StreamsBuilder) => void>;

function leftTable(): fc.Arbitrary<CaseRecord[]> {
  return keyedEvents<string | null, string | null>({
    topic: 'left', keys: ['a', 'b', 'c', null], values: fc.constantFrom('l1', 'l2', 'l3'), startTime: START, maxStepMs: 3_000,
    maxJitterMs: 2_000, tombstoneRate: 0.2, duplicateRate: 0.1, maxLength: 25,
  });
}

function leftTableAndRightStream(): fc.Arbitrary<CaseRecord[]> {
  const right = keyedEvents<string | null, string | null>({
    topic: 'right', keys: ['a', 'b', 'c', null], values: fc.constantFrom('r1', 'r2'), startTime: START, maxStepMs: 3_000, maxLength: 15,
  });
  return interleave(leftTable(), right) as fc.Arbitrary<CaseRecord[]>;
}

export const TABLE_CASE_INPUTS: { readonly [name in keyof typeof TABLE_BUILDERS]: fc.Arbitrary<CaseRecord[]> } = {
  'table-filter-unmaterialized': leftTable(),
  'table-filter-materialized': leftTable(),
  'table-filter-read-by-join': leftTableAndRightStream(),
  'to-table-unread': leftTable(),
  'table-suppress-time-limit': leftTable(),
};
