import fc from 'fast-check';
import { Consumed, Grouped, Materialized, Produced, Serdes, SessionWindows, SlidingWindows, StreamsBuilder, TimeWindows } from '../../src/index.ts';
import type { KGroupedStream, KStream, KTable, Windowed } from '../../src/index.ts';
import { interleave, keyedEvents } from '../../src/testing/index.ts';
import type { InputRecord } from '../../src/testing/index.ts';

/**
 * Aggregation topologies of the differential suite, as `ReferenceTopologiesAggregations.java`
 * builds them with Kafka Streams: cogroups, windowed reduce/aggregate with order-sensitive
 * aggregators (string concatenation, so any reordering shows), re-keying before a reduce, a flatMap
 * before a stream-table join, and KTable chains into a grouped aggregation with a subtractor.
 */

type CaseRecord = InputRecord<string | null, string | null>;

const SIZE = 'PT10S';
const START = 60_000;
const keysWithNull = ['a', 'b', 'c', null] as const;
const joined = (left: string | null, right: string | null): string => `${left}+${right}`;
const windowKey = (key: Windowed<string>): string => `${key.key}@${key.window.start}/${key.window.end}`;
const concat = (aggregate: string, value: string): string => `${aggregate}${value}`;
const merge = (_key: unknown, first: string, second: string): string => `${first}|${second}`;
const outString = Produced.with(Serdes.String(), Serdes.String());

function input(builder: StreamsBuilder, topic: string): KStream<string, string> {
  return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
}

function table(builder: StreamsBuilder, topic: string): KTable<string, string> {
  return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
}

function windowedOut(result: KTable<Windowed<string>, string>): void {
  result.toStream().selectKey(windowKey).to('out', outString);
}

/** Two streams folded into one aggregate; the right one is re-grouped, so it goes through a repartition topic. */
function cogroupAggregate(builder: StreamsBuilder): void {
  input(builder, 'left').groupByKey()
    .cogroup((_key, value, aggregate: string) => `${aggregate}L${value}`)
    .cogroup(input(builder, 'right').groupBy((key) => key, Grouped.with(Serdes.String(), Serdes.String())), (_key, value, aggregate) => `${aggregate}R${value}`)
    .aggregate(() => '', Materialized.as<string, string>('cogroup-store').withValueSerde(Serdes.String()))
    .toStream()
    .to('out', outString);
}

function cogroupWindowed(builder: StreamsBuilder, kind: 'tumbling' | 'sliding' | 'session'): void {
  const cogrouped = input(builder, 'left').groupByKey()
    .cogroup((_key, value, aggregate: string) => `${aggregate}L${value}`)
    .cogroup(input(builder, 'right').groupByKey(), (_key, value, aggregate) => `${aggregate}R${value}`);
  const serde = Materialized.as<string, string>('cogroup-windows').withValueSerde(Serdes.String());
  windowedOut(kind === 'tumbling' ? cogrouped.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 'PT5S')).aggregate(() => '', serde)
    : kind === 'sliding' ? cogrouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace('PT5S', 'PT3S')).aggregate(() => '', serde)
    : cogrouped.windowedBy(SessionWindows.ofInactivityGapAndGrace('PT5S', 'PT2S')).aggregate(() => '', merge, serde));
}

function grouped(builder: StreamsBuilder): KGroupedStream<string, string> {
  return input(builder, 'clicks').groupByKey();
}

const appended = (_key: string, value: string, aggregate: string): string => `${aggregate}${value}`;
const stored = (name: string): Materialized<string, string> => Materialized.as<string, string>(name).withValueSerde(Serdes.String());

type ConcatWindows = 'hopping' | 'hopping-uneven' | 'sliding' | 'sliding-no-grace' | 'session' | 'session-no-grace';

/** Windows of the concatenating reduce/aggregate; "uneven" hops do not divide the size, "no-grace" closes on the boundary. */
function windowedConcat(builder: StreamsBuilder, windows: ConcatWindows, op: 'reduce' | 'aggregate'): void {
  const stream = grouped(builder);
  if (windows === 'session' || windows === 'session-no-grace') {
    const sessions = stream.windowedBy(windows === 'session' ? SessionWindows.ofInactivityGapAndGrace('PT5S', 'PT2S') : SessionWindows.ofInactivityGapWithNoGrace('PT5S'));
    windowedOut(op === 'reduce' ? sessions.reduce(concat, stored('concat')) : sessions.aggregate(() => '<', appended, merge, stored('concat')));
    return;
  }
  const timed = windows === 'hopping' ? stream.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 'PT2S').advanceBy('PT5S'))
    : windows === 'hopping-uneven' ? stream.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 'PT1S').advanceBy('PT3S'))
    : windows === 'sliding' ? stream.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace('PT5S', 'PT3S'))
    : stream.windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace('PT5S'));
  windowedOut(op === 'reduce' ? timed.reduce(concat, stored('concat')) : timed.aggregate(() => '<', appended, stored('concat')));
}

/** Re-keyed by value (selectKey, or map that also rewrites the value), then reduced per new key. */
function rekeyReduce(builder: StreamsBuilder, how: 'selectKey' | 'map'): void {
  const clicks = input(builder, 'clicks');
  const rekeyed: KStream<string, string> = how === 'selectKey'
    ? clicks.selectKey((_key, value) => value)
    : clicks.map((key, value): readonly [string, string] => [value, `${key}:${value}`]);
  rekeyed.groupByKey(Grouped.with(Serdes.String(), Serdes.String())).reduce(concat, stored('rekeyed')).toStream().to('out', outString);
}

const NEXT_KEY: Record<string, string> = { a: 'b', b: 'c', c: 'a' };

/** Each left record fans out to its own key and the next one, then meets the right table. */
function flatMapStreamTableLeft(builder: StreamsBuilder): void {
  const right = table(builder, 'right');
  input(builder, 'left')
    .flatMap((key, value) => [[key, value], [key === null ? 'a' : NEXT_KEY[key]!, `${value}*`]] as const)
    .leftJoin(right, joined)
    .to('out', outString);
}

/** Regions without "apac" (filter), upper-cased, "latam" mapped to null (a delete), materialized or not. */
function regionChain(builder: StreamsBuilder, materialized: boolean): KTable<string, string | null> {
  const regions = table(builder, 'user-regions');
  const kept = materialized
    ? regions.filter((_user, region) => region !== 'apac', stored('kept-regions')) // predicate-order
    : regions.filter((_user, region) => region !== 'apac'); // predicate-order
  const upperOrNull = (region: string): string | null => (region === 'latam' ? null : region.toUpperCase());
  return materialized ? kept.mapValues(upperOrNull, stored('upper-regions')) : kept.mapValues(upperOrNull);
}

/** Users per region after the chain, with a subtractor. */
function tableChainAggregate(builder: StreamsBuilder, materialized: boolean): void {
  regionChain(builder, materialized)
    // The selector never sees a deleted row.
    .groupBy((user, region) => [region!, user] as const, Grouped.with(Serdes.String(), Serdes.String()))
    .aggregate(() => '', (_region, user, users) => `${users}+${user}`, (_region, user, users) => `${users}-${user}`, stored('region-users'))
    .toStream()
    .to('out', outString);
}

/** The chain straight to a stream: which updates and deletes each step forwards. */
function tableChainStream(builder: StreamsBuilder, materialized: boolean): void {
  // Serdes.String() writes null as a tombstone.
  regionChain(builder, materialized).toStream().to('out', outString as Produced<string, string | null>);
}

/** KGroupedTable.reduce: the users of each region, joined and left by adder and subtractor. */
function tableReduce(builder: StreamsBuilder): void {
  table(builder, 'user-regions')
    .groupBy((user, region) => [region, user] as const, Grouped.with(Serdes.String(), Serdes.String()))
    .reduce((users, user) => `${users}+${user}`, (users, user) => `${users}-${user}`, stored('region-users'))
    .toStream()
    .to('out', outString);
}

function windowedCountUncached(builder: StreamsBuilder, kind: 'tumbling' | 'sliding'): void {
  const stream = grouped(builder);
  const store = Materialized.as<string, number>('uncached-counts').withCachingDisabled();
  const counts = kind === 'tumbling'
    ? stream.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 'PT5S')).count(store)
    : stream.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace('PT5S', 'PT3S')).count(store);
  counts.toStream().selectKey(windowKey).to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

export const AGGREGATION_BUILDERS = {
  'cogroup-aggregate': cogroupAggregate,
  'cogroup-tumbling': (b) => cogroupWindowed(b, 'tumbling'),
  'cogroup-sliding': (b) => cogroupWindowed(b, 'sliding'),
  'cogroup-session': (b) => cogroupWindowed(b, 'session'),
  'hopping-reduce': (b) => windowedConcat(b, 'hopping', 'reduce'),
  'hopping-aggregate': (b) => windowedConcat(b, 'hopping', 'aggregate'),
  'sliding-reduce': (b) => windowedConcat(b, 'sliding', 'reduce'),
  'sliding-aggregate': (b) => windowedConcat(b, 'sliding', 'aggregate'),
  'session-reduce': (b) => windowedConcat(b, 'session', 'reduce'),
  'session-aggregate': (b) => windowedConcat(b, 'session', 'aggregate'),
  'hopping-uneven-aggregate': (b) => windowedConcat(b, 'hopping-uneven', 'aggregate'),
  'sliding-no-grace-aggregate': (b) => windowedConcat(b, 'sliding-no-grace', 'aggregate'),
  'session-no-grace-aggregate': (b) => windowedConcat(b, 'session-no-grace', 'aggregate'),
  'select-key-reduce': (b) => rekeyReduce(b, 'selectKey'),
  'map-reduce': (b) => rekeyReduce(b, 'map'),
  'flat-map-stream-table-left': flatMapStreamTableLeft,
  'table-chain-aggregate': (b) => tableChainAggregate(b, false),
  'table-chain-materialized-aggregate': (b) => tableChainAggregate(b, true),
  'table-chain-stream': (b) => tableChainStream(b, false),
  'table-chain-materialized-stream': (b) => tableChainStream(b, true),
  'table-reduce': tableReduce,
  'tumbling-count-uncached': (b) => windowedCountUncached(b, 'tumbling'),
  'sliding-count-uncached': (b) => windowedCountUncached(b, 'sliding'),
} satisfies Record<string, (builder: StreamsBuilder) => void>;

/**
 * Timestamps either as generated or cut to whole seconds: the latter gives many records the same
 * timestamp and puts records exactly on window boundaries.
 */
function withDuplicateTimestamps(records: fc.Arbitrary<CaseRecord[]>): fc.Arbitrary<CaseRecord[]> {
  return fc.tuple(records, fc.constantFrom(1, 1_000)).map(([list, unit]) =>
    list.map((record) => ({ ...record, timestamp: Math.floor(record.timestamp / unit) * unit })));
}

const digits = fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8', '9');

/**
 * One stream of concatenated digits: out-of-order, late (beyond every grace here), null keys and
 * values; in some cases from time 0, where windows would start before 0 (sliding windows' early records).
 */
function clicks(): fc.Arbitrary<CaseRecord[]> {
  return withDuplicateTimestamps(fc.constantFrom(0, START).chain((startTime) => keyedEvents<string | null, string | null>({
    topic: 'clicks', keys: keysWithNull, values: digits, startTime, maxStepMs: 3_000, maxJitterMs: 4_000,
    late: { graceMs: 6_000, every: 8 }, tombstoneRate: 0.08, duplicateRate: 0.05, burstRate: 0.05, maxBurst: 3, maxLength: 30,
  })));
}

function twoStreams(options: { jitter: number }): fc.Arbitrary<CaseRecord[]> {
  const side = (topic: string, startTime: number): fc.Arbitrary<CaseRecord[]> => keyedEvents<string | null, string | null>({
    topic, keys: keysWithNull, values: digits, startTime, maxStepMs: 3_000, maxJitterMs: options.jitter,
    late: { graceMs: 7_000, every: 10 }, tombstoneRate: 0.08, duplicateRate: 0.05, maxLength: 15,
  });
  return withDuplicateTimestamps(fc.constantFrom(0, START).chain((startTime) =>
    interleave(side('left', startTime), side('right', startTime)) as fc.Arbitrary<CaseRecord[]>));
}

function streamAndTable(): fc.Arbitrary<CaseRecord[]> {
  const side = (topic: string, values: readonly string[]): fc.Arbitrary<CaseRecord[]> => keyedEvents<string | null, string | null>({
    topic, keys: keysWithNull, values: fc.constantFrom(...values), startTime: START, maxStepMs: 2_000, tombstoneRate: 0.15, duplicateRate: 0.05, maxLength: 15,
  });
  return withDuplicateTimestamps(interleave(side('left', ['l1', 'l2', 'l3']), side('right', ['r1', 'r2', 'r3'])) as fc.Arbitrary<CaseRecord[]>);
}

function userRegions(): fc.Arbitrary<CaseRecord[]> {
  return withDuplicateTimestamps(keyedEvents<string | null, string | null>({
    topic: 'user-regions', keys: ['u1', 'u2', 'u3', 'u4', null], values: fc.constantFrom('eu', 'us', 'apac', 'latam'), startTime: START,
    maxJitterMs: 2_000, tombstoneRate: 0.2, duplicateRate: 0.1, maxLength: 25,
  }));
}

export const AGGREGATION_CASE_INPUTS: { readonly [name in keyof typeof AGGREGATION_BUILDERS]: fc.Arbitrary<CaseRecord[]> } = {
  'cogroup-aggregate': twoStreams({ jitter: 0 }),
  'cogroup-tumbling': twoStreams({ jitter: 4_000 }),
  'cogroup-sliding': twoStreams({ jitter: 4_000 }),
  'cogroup-session': twoStreams({ jitter: 4_000 }),
  'hopping-reduce': clicks(),
  'hopping-aggregate': clicks(),
  'sliding-reduce': clicks(),
  'sliding-aggregate': clicks(),
  'session-reduce': clicks(),
  'session-aggregate': clicks(),
  'hopping-uneven-aggregate': clicks(),
  'sliding-no-grace-aggregate': clicks(),
  'session-no-grace-aggregate': clicks(),
  'select-key-reduce': clicks(),
  'map-reduce': clicks(),
  'flat-map-stream-table-left': streamAndTable(),
  'table-chain-aggregate': userRegions(),
  'table-chain-materialized-aggregate': userRegions(),
  'table-chain-stream': userRegions(),
  'table-chain-materialized-stream': userRegions(),
  'table-reduce': userRegions(),
  'tumbling-count-uncached': clicks(),
  'sliding-count-uncached': clicks(),
};
