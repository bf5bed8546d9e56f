import fc from 'fast-check';
import {
  BufferConfig, Consumed, EmitStrategy, Grouped, JoinWindows, Materialized, Produced, Serdes, SessionWindows, SlidingWindows, StreamJoined, Suppressed, TimeWindows,
} from '../../src/index.ts';
import type { KStream, KTable, StreamsBuilder, Windowed } from '../../src/index.ts';
import { interleave, keyedEvents } from '../../src/testing/index.ts';
import type { InputRecord } from '../../src/testing/index.ts';

/**
 * Reference topologies for windows, suppression and stream-stream joins, built as
 * `java/src/.../ReferenceTopologiesWindows.java` builds them with Kafka Streams (same names,
 * topics, windows, buffer configs and joiners), with their generated inputs. The inputs put many
 * records on the same timestamp and key, since that is where buffers, outer-join stores and
 * emit-on-window-close order differ most easily.
 */

const START = 60_000;
const joined = (left: string | null, right: string | null): string => `${left}+${right}`;
const windowKey = (key: Windowed<string>): string => `${key.key}@${key.window.start}/${key.window.end}`;
/** Retention set on emit-on-window-close stores: see "Emit on window close" in docs/kafka-streams-differences.md. */
const FINAL_RETENTION = 'PT10M';

function input(builder: StreamsBuilder, topic: string): KStream<string, string> {
  return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
}

function toCounts(counts: KTable<Windowed<string>, number>): void {
  counts.toStream().selectKey(windowKey).to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

/** Asymmetric windows: the right side may be up to `before` earlier and `after` later than the left. */
function asymmetricJoin(builder: StreamsBuilder, kind: 'inner' | 'left' | 'outer', window: JoinWindows): void {
  const left = input(builder, 'left');
  const right = input(builder, 'right');
  const serdes = StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
  const out = kind === 'inner' ? left.join(right, joined, window, serdes)
    : kind === 'left' ? left.leftJoin(right, joined, window, serdes)
    : left.outerJoin(right, joined, window, serdes);
  out.to('out', Produced.with(Serdes.String(), Serdes.String()));
}

const LOOKS_BACK = (): JoinWindows => JoinWindows.ofTimeDifferenceAndGrace('PT1S', 'PT2S').before(4_000);
const LOOKS_AHEAD = (): JoinWindows => JoinWindows.ofTimeDifferenceAndGrace('PT1S', 'PT3S').after(5_000);

/** A count per key, rate-limited by `untilTimeLimit`. */
function limitedCount(builder: StreamsBuilder, limit: string, buffer: BufferConfig): void {
  input(builder, 'clicks')
    .groupByKey()
    .count()
    .suppress(Suppressed.untilTimeLimit(limit, buffer))
    .toStream()
    .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
}

/** A source table (tombstones included) rate-limited by `untilTimeLimit`. */
function limitedTable(builder: StreamsBuilder): void {
  builder.table('clicks', Consumed.with(Serdes.String(), Serdes.String()))
    .suppress(Suppressed.untilTimeLimit('PT3S', BufferConfig.maxRecords(3).emitEarlyWhenFull()))
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.String()));
}

/**
 * Users per region from a rate-limited table of user to region: the subtractor sees the old values
 * suppress emits with each change.
 */
function limitedRegroup(builder: StreamsBuilder): void {
  builder.table('clicks', Consumed.with(Serdes.String(), Serdes.String()))
    .suppress(Suppressed.untilTimeLimit('PT3S', BufferConfig.unbounded()))
    .groupBy((user, region) => [region, user] as const, Grouped.with(Serdes.String(), Serdes.String()))
    .aggregate(() => '', (_region, user, users) => `${users}+${user}`, (_region, user, users) => `${users}-${user}`,
      Materialized.as<string, string>('limited-region-users').withValueSerde(Serdes.String()).withCachingDisabled())
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.String()));
}

function finalResults(builder: StreamsBuilder, kind: 'sliding' | 'session'): void {
  const grouped = input(builder, 'clicks').groupByKey();
  const counts: KTable<Windowed<string>, number> = kind === 'sliding'
    ? grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace('PT5S', 'PT3S')).count()
    : grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace('PT5S', 'PT2S')).count();
  toCounts(counts.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())));
}

function onWindowClose(builder: StreamsBuilder, kind: 'tumbling' | 'hopping' | 'session'): void {
  const grouped = input(builder, 'clicks').groupByKey();
  const counts: KTable<Windowed<string>, number> = kind === 'session'
    ? grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace('PT3S', 'PT1S')).emitStrategy(EmitStrategy.onWindowClose())
      .count(Materialized.as<string, number>('closed-sessions').withRetention(FINAL_RETENTION))
    : grouped.windowedBy(kind === 'tumbling' ? TimeWindows.ofSizeAndGrace('PT5S', 'PT1S') : TimeWindows.ofSizeAndGrace('PT6S', 'PT1S').advanceBy('PT2S'))
      .emitStrategy(EmitStrategy.onWindowClose())
      .count(Materialized.as<string, number>('closed-windows').withRetention(FINAL_RETENTION));
  toCounts(counts);
}

export const WINDOWS_BUILDERS = {
  'join-inner-looks-back': (b) => asymmetricJoin(b, 'inner', LOOKS_BACK()),
  'join-left-looks-back': (b) => asymmetricJoin(b, 'left', LOOKS_BACK()),
  'join-outer-looks-back': (b) => asymmetricJoin(b, 'outer', LOOKS_BACK()),
  'join-left-looks-ahead': (b) => asymmetricJoin(b, 'left', LOOKS_AHEAD()),
  'join-outer-looks-ahead': (b) => asymmetricJoin(b, 'outer', LOOKS_AHEAD()),
  'suppress-limit-unbounded': (b) => limitedCount(b, 'PT5S', BufferConfig.unbounded()),
  'suppress-limit-max-records': (b) => limitedCount(b, 'PT10S', BufferConfig.maxRecords(2).emitEarlyWhenFull()),
  'suppress-limit-table': limitedTable,
  'suppress-limit-regroup': limitedRegroup,
  'suppress-final-sliding': (b) => finalResults(b, 'sliding'),
  'suppress-final-session': (b) => finalResults(b, 'session'),
  'close-tumbling-keys': (b) => onWindowClose(b, 'tumbling'),
  'close-hopping-keys': (b) => onWindowClose(b, 'hopping'),
  'close-session-keys': (b) => onWindowClose(b, 'session'),
} satisfies Record<string, (builder: StreamsBuilder) => void>;

type CaseRecord = InputRecord<string | null, string | null>;
type WindowsTopologyName = keyof typeof WINDOWS_BUILDERS;

/** Timestamps rounded down to whole seconds, so many records share one. */
const onWholeSeconds = (records: CaseRecord[]): CaseRecord[] => records.map((r) => ({ ...r, timestamp: Math.floor(r.timestamp / 1_000) * 1_000 }));

/** One topic's events over `keys`: out of order, some late, duplicated, bursts on one timestamp. */
function events(topic: string, keys: readonly (string | null)[], values: readonly string[], maxLength: number): fc.Arbitrary<CaseRecord[]> {
  return keyedEvents<string | null, string | null>({
    topic, keys, values: fc.constantFrom(...values), startTime: START, maxStepMs: 2_500, maxJitterMs: 3_000,
    late: { graceMs: 4_000, every: 10 }, tombstoneRate: 0.05, duplicateRate: 0.1, burstRate: 0.05, maxLength,
  }).map(onWholeSeconds);
}

const joinInput = (): fc.Arbitrary<CaseRecord[]> => interleave(
  events('left', ['a', 'b', null], ['l1', 'l2', 'l3'], 18),
  events('right', ['a', 'b', null], ['r1', 'r2', 'r3'], 18),
) as fc.Arbitrary<CaseRecord[]>;

const severalKeys = ['a', 'b', 'c', 'd', 'e', null] as const;
const clicks = (): fc.Arbitrary<CaseRecord[]> => events('clicks', severalKeys, ['x', 'y'], 35);

export const WINDOWS_CASE_INPUTS: { readonly [name in WindowsTopologyName]: fc.Arbitrary<CaseRecord[]> } = {
  'join-inner-looks-back': joinInput(),
  'join-left-looks-back': joinInput(),
  'join-outer-looks-back': joinInput(),
  'join-left-looks-ahead': joinInput(),
  'join-outer-looks-ahead': joinInput(),
  'suppress-limit-unbounded': clicks(),
  'suppress-limit-max-records': clicks(),
  'suppress-limit-table': clicks(),
  'suppress-limit-regroup': clicks(),
  'suppress-final-sliding': clicks(),
  'suppress-final-session': clicks(),
  'close-tumbling-keys': clicks(),
  'close-hopping-keys': clicks(),
  'close-session-keys': clicks(),
};
