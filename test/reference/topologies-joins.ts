import fc from 'fast-check';
import { Branched, Consumed, Grouped, JoinWindows, Materialized, Produced, Serdes, StreamJoined, StreamsBuilder, Suppressed } from '../../src/index.ts';
import type { KStream, KTable } from '../../src/index.ts';
import { interleave, keyedEvents } from '../../src/testing/index.ts';
import type { InputRecord } from '../../src/testing/index.ts';

/**
 * Reference topologies about tables, joins and null keys, built with kstreams as
 * `java/src/.../ReferenceTopologiesJoins.java` builds them with Kafka Streams (same names, topics
 * and joiners), with their generated inputs: foreign-key joins whose keys move and whose right rows
 * are deleted before they ever existed; split, merge and repartition with null keys; joins with a
 * global table whose key mapper reads the value; a stream-table join after a key change; a
 * suppressed table joined to another; and a table grouping whose mapper skips rows.
 */

type CaseRecord = InputRecord<string | null, string | null>;

const START = 60_000;
const joined = (left: string | null, right: string | null): string => `${left}+${right}`;

function input(builder: StreamsBuilder, topic: string): KStream<string, string> {
  return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
}

function table(builder: StreamsBuilder, topic: string): KTable<string, string> {
  return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
}

// Keys may be null at run time (the point of several topologies); the String serde writes them as null.
const toOut = (stream: KStream<string, string>): void => stream.to('out', Produced.with(Serdes.String(), Serdes.String()));
const NO_KEY = null as unknown as string;

/**
 * Orders "product|quantity" joined to the product they name; "-|q" names none. Uncached, the
 * tables forward every update, a delete of a product that never existed too.
 */
function foreignKeyChanges(builder: StreamsBuilder, kind: 'inner' | 'left', cached = true): void {
  const uncached = (name: string) => Materialized.as<string, string>(name).withCachingDisabled();
  const orders = cached ? table(builder, 'orders') : builder.table('orders', Consumed.with(Serdes.String(), Serdes.String()), uncached('orders-store'));
  const products = cached ? table(builder, 'products') : builder.table('products', Consumed.with(Serdes.String(), Serdes.String()), uncached('products-store'));
  const product = (order: string): string | null => {
    const name = order.split('|')[0]!;
    return name === '-' ? null : name;
  };
  const out = kind === 'inner' ? orders.join(products, product, joined) : orders.leftJoin(products, product, joined);
  toOut(out.toStream());
}

/**
 * An unmaterialized left foreign-key join regrouped by the product's name and counted: the
 * regrouping needs the join result's old values, so the result gets a store.
 */
function foreignKeyGroupByCount(builder: StreamsBuilder): void {
  const uncached = (name: string) => Materialized.as<string, string>(name).withCachingDisabled();
  const orders = builder.table('orders', Consumed.with(Serdes.String(), Serdes.String()), uncached('orders-store'));
  const products = builder.table('products', Consumed.with(Serdes.String(), Serdes.String()), uncached('products-store'));
  const product = (order: string): string | null => {
    const name = order.split('|')[0]!;
    return name === '-' ? null : name;
  };
  toOut(orders.leftJoin(products, product, joined)
    .groupBy((key, value) => [value.slice(value.indexOf('+') + 1), key] as const, Grouped.with(Serdes.String(), Serdes.String()))
    .count(Materialized.with<string, number>(Serdes.String(), Serdes.Long()).withCachingDisabled())
    .toStream()
    .mapValues((count) => String(count)));
}

/** Split by value, one branch upper-cased, merged back, re-keyed (some keys become null), repartitioned. */
function splitMergeRepartition(builder: StreamsBuilder): void {
  const branches = input(builder, 'events').split()
    // predicate-order: keys never start with "x", so the predicate holds for (key, value) and (value, key) alike.
    .branch((a, b) => [a, b].some((s) => typeof s === 'string' && s.startsWith('x')), Branched.as('x'))
    .defaultBranch(Branched.as('rest'));
  const names = Object.keys(branches);
  const xs = branches[names.find((n) => n.endsWith('x'))!]!.mapValues((value) => value.toUpperCase());
  const rest = branches[names.find((n) => n.endsWith('rest'))!]!;
  const merged = xs.merge(rest);
  const rekeyed = merged.selectKey((key, value) => (value === null ? key : value.includes('n') ? NO_KEY : value.slice(-1)));
  toOut(rekeyed.repartition());
}

/** Each event with the global row its value names ("g…"), or its key's row for value "k". */
function globalJoin(builder: StreamsBuilder, kind: 'inner' | 'left'): void {
  const globals = builder.globalTable('globals', Consumed.with(Serdes.String(), Serdes.String()));
  const events = input(builder, 'events');
  const mapper = (key: string, value: string | null): string => (value === null ? NO_KEY : value === 'k' ? key : value);
  toOut(kind === 'inner' ? events.join(globals, mapper, joined) : events.leftJoin(globals, mapper, joined));
}

/** A stream re-keyed by its value's first letter ("n…" gives a null key), then joined to a table. */
function selectKeyTableJoin(builder: StreamsBuilder, kind: 'inner' | 'left'): void {
  const right = table(builder, 'right');
  const left = input(builder, 'left').selectKey((key, value) => (value === null ? key : value.startsWith('n') ? NO_KEY : value[0]!));
  toOut(kind === 'inner' ? left.join(right, joined) : left.leftJoin(right, joined));
}

/** A stream re-keyed as above, left-joined to another stream within 5 s (grace 2 s). */
function selectKeyStreamLeftJoin(builder: StreamsBuilder): void {
  const right = input(builder, 'right');
  const left = input(builder, 'left').selectKey((key, value) => (value === null ? key : value.startsWith('n') ? NO_KEY : value[0]!));
  toOut(left.leftJoin(right, joined, JoinWindows.ofTimeDifferenceAndGrace('PT5S', 'PT2S'), StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String())));
}

/** A table whose updates are held 3 s by suppress, joined to a plain table (from either side). */
function suppressedTableJoin(builder: StreamsBuilder, suppressedSide: 'left' | 'right'): void {
  const suppressed = table(builder, 'left').suppress(Suppressed.untilTimeLimit('PT3S', Suppressed.BufferConfig.unbounded()));
  const plain = table(builder, 'right');
  const out = suppressedSide === 'left' ? suppressed.join(plain, joined) : plain.leftJoin(suppressed, joined);
  toOut(out.toStream());
}

/** Rows per value of a suppressed table: the subtractor gets the old value each emitted change carries. */
function suppressedTableGroupBy(builder: StreamsBuilder): void {
  table(builder, 'left')
    .suppress(Suppressed.untilTimeLimit('PT5S', Suppressed.BufferConfig.unbounded()))
    .groupBy((key, value) => [value, key] as const)
    .count(Materialized.as('suppressed-groups'))
    .toStream()
    .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

/** Users per region; region "none" maps to no pair and "nokey" to a null key: both skipped. */
function tableGroupByNull(builder: StreamsBuilder): void {
  table(builder, 'user-regions')
    .groupBy((user, region) => (region === 'none' ? null : [region === 'nokey' ? NO_KEY : region, user] as const))
    .count(Materialized.as('regions-count'))
    .toStream()
    .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

export const JOIN_BUILDERS = {
  'fk-inner-changes': (b) => foreignKeyChanges(b, 'inner'),
  'fk-left-changes': (b) => foreignKeyChanges(b, 'left'),
  'fk-inner-uncached': (b) => foreignKeyChanges(b, 'inner', false),
  'fk-left-uncached': (b) => foreignKeyChanges(b, 'left', false),
  'fk-left-groupby-count': foreignKeyGroupByCount,
  'split-merge-repartition': splitMergeRepartition,
  'global-join-inner': (b) => globalJoin(b, 'inner'),
  'global-join-left': (b) => globalJoin(b, 'left'),
  'selectkey-table-inner': (b) => selectKeyTableJoin(b, 'inner'),
  'selectkey-table-left': (b) => selectKeyTableJoin(b, 'left'),
  'selectkey-stream-left': selectKeyStreamLeftJoin,
  'suppressed-table-join': (b) => suppressedTableJoin(b, 'left'),
  'table-join-suppressed': (b) => suppressedTableJoin(b, 'right'),
  'suppressed-table-groupby': suppressedTableGroupBy,
  'table-groupby-null': tableGroupByNull,
} satisfies Record<string, (builder: StreamsBuilder) => void>;

function events(topic: string, keys: readonly (string | null)[], values: readonly string[], options: { tombstoneRate: number; maxLength: number }): fc.Arbitrary<CaseRecord[]> {
  return keyedEvents<string | null, string | null>({
    topic, keys, values: fc.constantFrom(...values), startTime: START, maxStepMs: 3_000, duplicateRate: 0.05, ...options,
  });
}

/** Orders move between products (and to none); products are deleted often, also before they exist. */
function foreignKeyInput(): fc.Arbitrary<CaseRecord[]> {
  const orders = keyedEvents<string | null, string | null>({
    topic: 'orders', keys: ['o1', 'o2', 'o3', null], startTime: START, maxStepMs: 2_000, tombstoneRate: 0.15, duplicateRate: 0.05, maxLength: 15,
    values: fc.tuple(fc.constantFrom('p1', 'p2', 'p3', 'p4', '-'), fc.integer({ min: 1, max: 2 })).map(([product, quantity]) => `${product}|${quantity}`),
  });
  const products = events('products', ['p1', 'p2', 'p3', 'p4'], ['pen', 'ink'], { tombstoneRate: 0.45, maxLength: 14 });
  return interleave(orders, products) as fc.Arbitrary<CaseRecord[]>;
}

function twoTables(leftKeys: readonly (string | null)[], leftValues: readonly string[]): fc.Arbitrary<CaseRecord[]> {
  return interleave(
    events('left', leftKeys, leftValues, { tombstoneRate: 0.15, maxLength: 15 }),
    events('right', ['a', 'b', 'c'], ['r1', 'r2'], { tombstoneRate: 0.2, maxLength: 12 }),
  ) as fc.Arbitrary<CaseRecord[]>;
}

/** More left updates than right ones, so suppressed rows come out and meet right rows. */
function suppressedInput(): fc.Arbitrary<CaseRecord[]> {
  return interleave(
    events('left', ['a', 'b', 'c', null], ['l1', 'l2', 'l3'], { tombstoneRate: 0.1, maxLength: 22 }),
    events('right', ['a', 'b', 'c'], ['r1', 'r2'], { tombstoneRate: 0.1, maxLength: 10 }),
  ) as fc.Arbitrary<CaseRecord[]>;
}

const globalInput = interleave(
  events('events', ['a', 'b', null], ['g1', 'g2', 'g9', 'k'], { tombstoneRate: 0.1, maxLength: 18 }),
  events('globals', ['g1', 'g2', 'a', 'b'], ['G1', 'G2'], { tombstoneRate: 0.2, maxLength: 10 }),
) as fc.Arbitrary<CaseRecord[]>;

export const JOIN_CASE_INPUTS: { readonly [name in keyof typeof JOIN_BUILDERS]: fc.Arbitrary<CaseRecord[]> } = {
  'fk-inner-changes': foreignKeyInput(),
  'fk-left-changes': foreignKeyInput(),
  'fk-inner-uncached': foreignKeyInput(),
  'fk-left-uncached': foreignKeyInput(),
  'fk-left-groupby-count': foreignKeyInput(),
  'split-merge-repartition': events('events', ['a', 'b', null], ['x1', 'y2', 'n3', 'xn'], { tombstoneRate: 0.15, maxLength: 20 }),
  'global-join-inner': globalInput,
  'global-join-left': globalInput,
  'selectkey-table-inner': twoTables(['k1', 'k2', null], ['a1', 'b2', 'c1', 'n1']),
  'selectkey-table-left': twoTables(['k1', 'k2', null], ['a1', 'b2', 'c1', 'n1']),
  'selectkey-stream-left': twoTables(['k1', 'k2', null], ['a1', 'b2', 'c1', 'n1']),
  'suppressed-table-join': suppressedInput(),
  'table-join-suppressed': suppressedInput(),
  'suppressed-table-groupby': events('left', ['a', 'b', 'c', null], ['eu', 'us'], { tombstoneRate: 0.15, maxLength: 25 }),
  'table-groupby-null': events('user-regions', ['u1', 'u2', 'u3', null], ['eu', 'us', 'none', 'nokey'], { tombstoneRate: 0.15, maxLength: 20 }),
};
