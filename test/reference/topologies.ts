import {
  Consumed, EmitStrategy, Grouped, JoinWindows, Materialized, Produced, Serdes, SessionWindows, SlidingWindows, StreamJoined, StreamsBuilder, Suppressed,
  TimeWindows,
} from '../../src/index.ts';
import type { KStream, KTable, Topology, Windowed } from '../../src/index.ts';
import { TABLE_BUILDERS } from './topologies-tables.ts';
import { WINDOWS_BUILDERS } from './topologies-windows.ts';
import { AGGREGATION_BUILDERS } from './topologies-aggregations.ts';
import { JOIN_BUILDERS } from './topologies-joins.ts';

/**
 * The reference topologies built with kstreams, as `java/src/.../ReferenceTopologies.java` builds
 * them with Kafka Streams: same names, topics, windows and joiners. Keys and input values are
 * strings; `OUTPUT_TYPES` gives each output topic's value type.
 */

export const OUTPUT_TYPES = { counts: 'long', sums: 'long', out: 'string' } as const;
export type OutputTopic = keyof typeof OUTPUT_TYPES;

const SIZE = 'PT10S';
const joined = (left: string | null, right: string | null): string => `${left}+${right}`;
const windowKey = (key: Windowed<string>): string => `${key.key}@${key.window.start}/${key.window.end}`;

function input(builder: StreamsBuilder, topic: string): KStream<string, string> {
  return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
}

function table(builder: StreamsBuilder, topic: string): KTable<string, string> {
  return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
}

function wordCount(builder: StreamsBuilder): void {
  input(builder, 'lines')
    .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((word) => word !== ''))
    .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
    .count(Materialized.as('word-counts'))
    .toStream()
    .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

function aggregateUncached(builder: StreamsBuilder): void {
  input(builder, 'amounts')
    .groupByKey()
    .aggregate(() => 0, (_key, amount, sum) => sum + Number.parseInt(amount, 10),
      Materialized.as<string, number>('sums-store').withValueSerde(Serdes.Long()).withCachingDisabled())
    .toStream()
    .to('sums', Produced.with(Serdes.String(), Serdes.Long()));
}

/** Users per region from a table of user to region: the subtractor removes a user's old region. */
function tableAggregate(builder: StreamsBuilder): void {
  table(builder, 'user-regions')
    .groupBy((user, region) => [region, user] as const, Grouped.with(Serdes.String(), Serdes.String()))
    .aggregate(() => '', (_region, user, users) => `${users}+${user}`, (_region, user, users) => `${users}-${user}`,
      Materialized.as<string, string>('region-users').withValueSerde(Serdes.String()).withCachingDisabled())
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.String()));
}

function windowedCount(builder: StreamsBuilder, kind: 'tumbling' | 'hopping' | 'sliding' | 'session'): void {
  const grouped = input(builder, 'clicks').groupByKey();
  const counts: KTable<Windowed<string>, number> =
    kind === 'tumbling' ? grouped.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 'PT5S')).count()
    : kind === 'hopping' ? grouped.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 'PT2S').advanceBy('PT5S')).count()
    : kind === 'sliding' ? grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace('PT5S', 'PT3S')).count()
    : grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace('PT5S', 'PT2S')).count();
  counts.toStream().selectKey(windowKey).to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

function suppressedCount(builder: StreamsBuilder): void {
  input(builder, 'clicks')
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 'PT5S'))
    .count()
    .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
    .toStream()
    .selectKey(windowKey)
    .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

/** Counts emitted once per window, when it closes (EmitStrategy.onWindowClose). */
function finalCount(builder: StreamsBuilder, kind: 'tumbling' | 'session'): void {
  const grouped = input(builder, 'clicks').groupByKey();
  const counts: KTable<Windowed<string>, number> = kind === 'tumbling'
    ? grouped.windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 'PT2S')).emitStrategy(EmitStrategy.onWindowClose()).count()
    // Retention set: see "Emit on window close" in docs/kafka-streams-differences.md.
    : grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace('PT5S')).emitStrategy(EmitStrategy.onWindowClose())
      .count(Materialized.as<string, number>('final-sessions').withRetention('PT1M'));
  counts.toStream().selectKey(windowKey).to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

function streamStreamJoin(builder: StreamsBuilder, kind: 'inner' | 'left' | 'outer'): void {
  const left = input(builder, 'left');
  const right = input(builder, 'right');
  const window = JoinWindows.ofTimeDifferenceAndGrace('PT5S', 'PT2S');
  const serdes = StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
  const out = kind === 'inner' ? left.join(right, joined, window, serdes)
    : kind === 'left' ? left.leftJoin(right, joined, window, serdes)
    : left.outerJoin(right, joined, window, serdes);
  out.to('out', Produced.with(Serdes.String(), Serdes.String()));
}

function streamTableJoin(builder: StreamsBuilder, kind: 'inner' | 'left'): void {
  const left = input(builder, 'left');
  const right = table(builder, 'right');
  const out = kind === 'inner' ? left.join(right, joined) : left.leftJoin(right, joined);
  out.to('out', Produced.with(Serdes.String(), Serdes.String()));
}

function tableTableJoin(builder: StreamsBuilder, kind: 'inner' | 'left' | 'outer'): void {
  const left = table(builder, 'left');
  const right = table(builder, 'right');
  const out = kind === 'inner' ? left.join(right, joined) : kind === 'left' ? left.leftJoin(right, joined) : left.outerJoin(right, joined);
  out.toStream().to('out', Produced.with(Serdes.String(), Serdes.String()));
}

/** Orders ("product|quantity") joined to the product they name. */
function foreignKeyJoin(builder: StreamsBuilder, kind: 'inner' | 'left'): void {
  const orders = table(builder, 'orders');
  const products = table(builder, 'products');
  const product = (order: string): string => order.split('|')[0]!;
  const out = kind === 'inner' ? orders.join(products, product, joined) : orders.leftJoin(products, product, joined);
  out.toStream().to('out', Produced.with(Serdes.String(), Serdes.String()));
}

const BUILDERS = {
  'word-count': wordCount,
  'aggregate-uncached': aggregateUncached,
  'table-aggregate': tableAggregate,
  'tumbling-count': (b) => windowedCount(b, 'tumbling'),
  'hopping-count': (b) => windowedCount(b, 'hopping'),
  'sliding-count': (b) => windowedCount(b, 'sliding'),
  'session-count': (b) => windowedCount(b, 'session'),
  'suppressed-count': suppressedCount,
  'tumbling-final': (b) => finalCount(b, 'tumbling'),
  'session-final': (b) => finalCount(b, 'session'),
  'stream-stream-inner': (b) => streamStreamJoin(b, 'inner'),
  'stream-stream-left': (b) => streamStreamJoin(b, 'left'),
  'stream-stream-outer': (b) => streamStreamJoin(b, 'outer'),
  'stream-table-inner': (b) => streamTableJoin(b, 'inner'),
  'stream-table-left': (b) => streamTableJoin(b, 'left'),
  'table-table-inner': (b) => tableTableJoin(b, 'inner'),
  'table-table-left': (b) => tableTableJoin(b, 'left'),
  'table-table-outer': (b) => tableTableJoin(b, 'outer'),
  'foreign-key-inner': (b) => foreignKeyJoin(b, 'inner'),
  'foreign-key-left': (b) => foreignKeyJoin(b, 'left'),
  ...TABLE_BUILDERS,
  ...WINDOWS_BUILDERS,
  ...AGGREGATION_BUILDERS,
  ...JOIN_BUILDERS,
} satisfies Record<string, (builder: StreamsBuilder) => void>;

export type ReferenceTopologyName = keyof typeof BUILDERS;
export const REFERENCE_TOPOLOGIES = Object.keys(BUILDERS) as ReferenceTopologyName[];

export function buildReferenceTopology(name: ReferenceTopologyName): Topology {
  const builder = new StreamsBuilder();
  BUILDERS[name](builder);
  return builder.build();
}
