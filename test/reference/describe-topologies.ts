import {
  Consumed, Grouped, JoinWindows, Materialized, Named, Produced, Serdes, SessionWindows, SlidingWindows, StreamJoined, StreamsBuilder, Suppressed, TimeWindows,
} from '../../src/index.ts';
import type { KStream, KTable, Topology } from '../../src/index.ts';

/**
 * Small topologies that exercise Kafka Streams' naming and materialization rules, built with
 * kstreams as `java/src/.../DescribeTopologies.java` builds them with Kafka Streams: source tables
 * with and without readers, anonymous `Materialized.with`, KTable filter/mapValues materialized or
 * not, joins. describe.test.ts compares their `describe()` texts.
 */

const str = Serdes.String();

function stream(builder: StreamsBuilder, topic: string): KStream<string, string> {
  return builder.stream(topic, Consumed.with(str, str));
}

function table(builder: StreamsBuilder, topic: string): KTable<string, string> {
  return builder.table(topic, Consumed.with(str, str));
}

function toOut(table: KTable<string, string>): void {
  table.toStream().to('out', Produced.with(str, str));
}

const longer = (_key: string, value: string): boolean => value.length > 1;

export const DESCRIBE_TOPOLOGIES: { readonly [name: string]: (builder: StreamsBuilder) => void } = {
  'table-unread': (b) => toOut(table(b, 'in')),
  'table-named': (b) => toOut(b.table('in', Consumed.with(str, str), Materialized.as('in-store'))),
  'table-anonymous': (b) => toOut(b.table('in', Consumed.with(str, str), Materialized.with(str, str))),
  'table-consumed-named': (b) => toOut(b.table('in', Consumed.with(str, str).withName('users'))),
  'table-filter': (b) => toOut(table(b, 'in').filter(longer)),
  'table-filter-named': (b) => toOut(table(b, 'in').filter(longer, Materialized.as('filtered'))),
  'table-filter-anonymous': (b) => toOut(table(b, 'in').filter(longer, Materialized.with(str, str)).mapValues((v) => `${v}!`)),
  'table-mapvalues-named': (b) => toOut(table(b, 'in').mapValues((v) => `${v}!`, Materialized.as('mapped'))),
  'stream-table-join': (b) => stream(b, 'clicks')
    .join(table(b, 'users'), (click, user) => click + user)
    .to('out', Produced.with(str, str)),
  'stream-table-join-filtered': (b) => stream(b, 'clicks')
    .leftJoin(table(b, 'users').filter((_key, value) => value !== ''), (click, user) => click + user)
    .to('out', Produced.with(str, str)),
  'table-table-join': (b) => toOut(table(b, 'left').join(table(b, 'right'), (l, r) => l + r)),
  'table-table-left-anonymous': (b) => toOut(table(b, 'left').leftJoin(table(b, 'right'), (l, r) => l + r, Materialized.with(str, str))),
  'table-groupby-count': (b) => table(b, 'in')
    .groupBy((k, v) => [v, k] as const, Grouped.with(str, str))
    .count()
    .toStream()
    .to('counts', Produced.with(str, Serdes.Long())),
  'table-suppress': (b) => toOut(table(b, 'in').suppress(Suppressed.untilTimeLimit('PT10S', Suppressed.BufferConfig.unbounded()))),
  'count-anonymous': (b) => stream(b, 'in')
    .mapValues((v) => `${v}!`)
    .groupByKey()
    .count(Materialized.with(str, Serdes.Long()))
    .toStream()
    .to('counts', Produced.with(str, Serdes.Long())),
  'reduce-anonymous': (b) => toOut(stream(b, 'in').groupByKey().reduce((a, v) => a + v, Materialized.with(str, str))),
  'aggregate-anonymous': (b) => stream(b, 'in')
    .groupBy((_k, v) => v, Grouped.with(str, str))
    .aggregate(() => 0, (_k, v, sum) => sum + v.length, Materialized.with(str, Serdes.Long()))
    .toStream()
    .to('counts', Produced.with(str, Serdes.Long())),
  'count-filter': (b) => stream(b, 'in')
    .groupByKey()
    .count()
    .filter((_key, count) => count > 1)
    .toStream()
    .to('counts', Produced.with(str, Serdes.Long())),
  'stream-to-table': (b) => toOut(stream(b, 'in').toTable()),
  'stream-to-table-repartition': (b) => toOut(stream(b, 'in').selectKey((_k, v) => v).toTable(Materialized.with(str, str))),
  'stream-table-join-repartition': (b) => stream(b, 'clicks').selectKey((_k, v) => v)
    .leftJoin(table(b, 'users'), (click, user) => `${click}${user}`)
    .to('out', Produced.with(str, str)),
  'stream-stream-join-repartition': (b) => stream(b, 'clicks').selectKey((_k, v) => v)
    .join(stream(b, 'views'), (click, view) => click + view, JoinWindows.ofTimeDifferenceWithNoGrace('PT5S'), StreamJoined.with(str, str, str))
    .to('out', Produced.with(str, str)),
  'stream-to-table-join': (b) => stream(b, 'clicks')
    .join(stream(b, 'users').toTable(), (click, user) => click + user)
    .to('out', Produced.with(str, str)),
  'table-table-outer-named': (b) => toOut(table(b, 'left').outerJoin(table(b, 'right'), (l, r) => `${l}${r}`, Named.as('pair'))),
  'windowed-count-anonymous': (b) => stream(b, 'in')
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace('PT10S'))
    .count(Materialized.with(str, Serdes.Long()))
    .toStream()
    .selectKey((k) => k.key)
    .to('counts', Produced.with(str, Serdes.Long())),
  'sliding-count-anonymous': (b) => stream(b, 'in')
    .groupByKey()
    .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace('PT10S'))
    .count(Materialized.with(str, Serdes.Long()))
    .toStream()
    .selectKey((k) => k.key)
    .to('counts', Produced.with(str, Serdes.Long())),
  'session-count-anonymous': (b) => stream(b, 'in')
    .groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace('PT10S'))
    .count(Materialized.with(str, Serdes.Long()))
    .toStream()
    .selectKey((k) => k.key)
    .to('counts', Produced.with(str, Serdes.Long())),
  'global-table-named': (b) => stream(b, 'clicks')
    .join(b.globalTable('users', Consumed.with(str, str).withName('users')), (k) => k, (click, user) => click + user)
    .to('out', Produced.with(str, str)),
  'named-stream-steps': (b) => {
    const input = b.stream('in', Consumed.with(str, str).withName('src'));
    input.filter((_k, v) => v.length > 1, Named.as('long'))
      .mapValues((v) => `${v}!`, Named.as('shout'))
      .merge(input, Named.as('both'))
      .groupByKey()
      .count(Named.as('cnt'))
      .toStream(Named.as('changes'))
      .to('counts', Produced.as<string, number>('out-sink').withKeySerde(str).withValueSerde(Serdes.Long()));
  },
  'named-table-steps': (b) => table(b, 'in')
    .filter(longer, Named.as('long'))
    .groupBy((k, v) => [v, k] as const, Grouped.as<string, string>('by-value').withKeySerde(str).withValueSerde(str))
    .count(Named.as('cnt'))
    .toStream()
    .to('counts', Produced.with(str, Serdes.Long())),
  'fk-join': (b) => toOut(table(b, 'orders').join(table(b, 'customers'), (v) => v, (o, c) => o + c)),
  'fk-left-join-materialized': (b) => toOut(table(b, 'orders')
    .leftJoin(table(b, 'customers'), (v) => v, (o, c) => o + (c ?? ''), Materialized.as<string, string>('enriched'))),
  'fk-join-named': (b) => toOut(table(b, 'orders').join(table(b, 'customers'), (v) => v, (o, c) => o + c, Named.as('enrich'))),
  'fk-left-join-anonymous': (b) => toOut(table(b, 'orders')
    .leftJoin(table(b, 'customers'), (v) => v, (o, c) => o + (c ?? ''), Materialized.with(str, str))),
  'fk-join-then-count': (b) => table(b, 'orders')
    .join(table(b, 'customers'), (v) => v, (o, c) => o + c)
    .groupBy((k, v) => [v, k] as const, Grouped.with(str, str))
    .count()
    .toStream()
    .to('counts', Produced.with(str, Serdes.Long())),
};

/** The topology of one of `DESCRIBE_TOPOLOGIES`. */
export function buildDescribeTopology(name: string): Topology {
  const builder = new StreamsBuilder();
  DESCRIBE_TOPOLOGIES[name]!(builder);
  return builder.build();
}
