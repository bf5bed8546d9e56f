/**
 * The workloads of bench/vs-kafka-streams.ts: for each, the input records (generated from a fixed
 * seed, so kstreams and Kafka Streams read the very same file) and the kstreams topology. Their
 * Java twins are in test/reference/java/src/main/java/dev/kstreams/reference/BenchStreams.java and
 * must match them operator for operator; the two drivers must emit the same number of records.
 *
 * Event time starts two hours before now and moves 10 ms per record, so a broker's default
 * retention keeps every record and windows close as the input goes on.
 */
import {
  BufferConfig, Consumed, Grouped, JoinWindows, Materialized, Produced, Serdes, SessionWindows, SlidingWindows, StreamJoined, StreamsBuilder, Suppressed, TimeWindows,
} from 'kstreams';
import type { KGroupedStream, KStream, Serde, Topology } from 'kstreams';

export interface BenchRecord {
  readonly topic: string;
  readonly key: string;
  readonly timestamp: number;
  readonly value: string;
}

export interface Workload {
  readonly name: string;
  readonly records: readonly BenchRecord[];
  /** The serde of the output topic's values (strings or longs). */
  readonly outputSerde: Serde<string> | Serde<number>;
  topology(): Topology;
}

export const OUTPUT = 'bench-out';
const USERS = 1000;
const STEP_MS = 10;
const WORDS = 'all streams lead to kafka hello join summit table window state store topic partition offset record'.split(' ');
const strings = Serdes.String();
const longs = Serdes.Long();

/** The input topic of a workload; joins read a second topic, `bench-<workload>-table` or `-other`. */
export const inputTopic = (workload: string): string => `bench-${workload}-in`;
const tableTopic = (workload: string): string => `bench-${workload}-table`;
const otherTopic = (workload: string): string => `bench-${workload}-other`;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const START = Math.floor(Date.now() / 60_000) * 60_000 - 7_200_000;

function build(define: (builder: StreamsBuilder) => void): Topology {
  const builder = new StreamsBuilder();
  define(builder);
  return builder.build();
}

const input = (builder: StreamsBuilder, workload: string): KStream<string, string> =>
  builder.stream(inputTopic(workload), Consumed.with(strings, strings));

/** `count` user-keyed views, one every 10 ms of event time. */
function userEvents(workload: string, seed: number, count: number): BenchRecord[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => ({ topic: inputTopic(workload), key: `user-${Math.floor(random() * USERS)}`, timestamp: START + i * STEP_MS, value: 'view' }));
}

function stateless(count: number): Workload {
  const random = seeded(1);
  const records = Array.from({ length: count }, (_, i) => ({ topic: inputTopic('stateless'), key: `k${i % 1000}`, timestamp: START + i * STEP_MS, value: `event-${Math.floor(random() * 1e6)}` }));
  return {
    name: 'stateless', records, outputSerde: strings,
    topology: () => build((b) => input(b, 'stateless')
      .filter((_key, value) => value.charCodeAt(value.length - 1) % 2 === 0)
      .mapValues((value) => value.toUpperCase())
      .to(OUTPUT, Produced.with(strings, strings))),
  };
}

function wordCount(lines: number): Workload {
  const random = seeded(2);
  const records = Array.from({ length: lines }, (_, i) => ({
    topic: inputTopic('wordcount'), key: `line-${i}`, timestamp: START + i * STEP_MS,
    value: Array.from({ length: 6 }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' '),
  }));
  return {
    name: 'wordcount', records, outputSerde: longs,
    topology: () => build((b) => input(b, 'wordcount')
      .flatMapValues((line) => line.split(' '))
      .groupBy((_key, word) => word, Grouped.with(strings, strings))
      .count(Materialized.as('counts'))
      .toStream()
      .to(OUTPUT, Produced.with(strings, longs))),
  };
}

/** A windowed count over user views; the output key is `user@start` (sessions: `user@start-end`). */
function windowedCount(name: string, seed: number, count: number, window: (grouped: KGroupedStream<string, string>) => KStream<string, number>): Workload {
  return {
    name, records: userEvents(name, seed, count), outputSerde: longs,
    topology: () => build((b) => window(input(b, name).groupByKey()).to(OUTPUT, Produced.with(strings, longs))),
  };
}

const tumbling = (count: number) => windowedCount('tumbling', 3, count, (grouped) => grouped
  .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 10_000)).count(Materialized.as('tumbling-counts'))
  .toStream().selectKey((w) => `${w.key}@${w.window.start}`));

const hopping = (count: number) => windowedCount('hopping', 5, count, (grouped) => grouped
  .windowedBy(TimeWindows.ofSizeAndGrace(300_000, 10_000).advanceBy(60_000)).count(Materialized.as('hopping-counts'))
  .toStream().selectKey((w) => `${w.key}@${w.window.start}`));

const sliding = (count: number) => windowedCount('sliding', 6, count, (grouped) => grouped
  .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(30_000, 10_000)).count(Materialized.as('sliding-counts'))
  .toStream().selectKey((w) => `${w.key}@${w.window.start}`));

const session = (count: number) => windowedCount('session', 7, count, (grouped) => grouped
  .windowedBy(SessionWindows.ofInactivityGapAndGrace(30_000, 10_000)).count(Materialized.as('session-counts'))
  .toStream().selectKey((w) => `${w.key}@${w.window.start}-${w.window.end}`));

/** Final results: each 1-minute window once, after its grace has passed. */
const suppress = (count: number) => windowedCount('suppress', 8, count, (grouped) => grouped
  .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 10_000)).count(Materialized.as('suppress-counts'))
  .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
  .toStream().selectKey((w) => `${w.key}@${w.window.start}`));

function streamTableJoin(count: number): Workload {
  const random = seeded(4);
  const profiles = Array.from({ length: USERS }, (_, i) => ({ topic: tableTopic('stream-table'), key: `user-${i}`, timestamp: START, value: `profile-${i}` }));
  const clicks = Array.from({ length: count }, (_, i) => ({ topic: inputTopic('stream-table'), key: `user-${Math.floor(random() * 1100)}`, timestamp: START + 1 + i * STEP_MS, value: `click-${i}` }));
  return {
    name: 'stream-table', records: [...profiles, ...clicks], outputSerde: strings,
    topology: () => build((b) => {
      const table = b.table(tableTopic('stream-table'), Consumed.with(strings, strings), Materialized.as('profiles'));
      input(b, 'stream-table').join(table, (click, profile) => `${click}|${profile}`).to(OUTPUT, Produced.with(strings, strings));
    }),
  };
}

/** Clicks (every 10 ms) joined with purchases (every 20 ms) of the same user within 5 s. */
function streamStreamJoin(count: number): Workload {
  const random = seeded(9);
  const records: BenchRecord[] = [];
  for (let i = 0; i < count; i++) {
    const timestamp = START + i * STEP_MS;
    if (i % 3 === 2) records.push({ topic: otherTopic('stream-stream'), key: `user-${Math.floor(random() * USERS)}`, timestamp, value: `purchase-${i}` });
    else records.push({ topic: inputTopic('stream-stream'), key: `user-${Math.floor(random() * USERS)}`, timestamp, value: `click-${i}` });
  }
  return {
    name: 'stream-stream', records, outputSerde: strings,
    topology: () => build((b) => {
      const purchases = b.stream(otherTopic('stream-stream'), Consumed.with(strings, strings));
      input(b, 'stream-stream').join(purchases, (click, purchase) => `${click}|${purchase}`, JoinWindows.ofTimeDifferenceWithNoGrace(5_000), StreamJoined.with(strings, strings, strings))
        .to(OUTPUT, Produced.with(strings, strings));
    }),
  };
}

/** Orders (a table keyed by order id) joined with their product's row through the value's product id. */
function foreignKeyJoin(count: number): Workload {
  const random = seeded(10);
  const products = Array.from({ length: USERS }, (_, i) => ({ topic: tableTopic('foreign-key'), key: `product-${i}`, timestamp: START, value: `name-${i}` }));
  const orders = Array.from({ length: count }, (_, i) => ({
    topic: inputTopic('foreign-key'), key: `order-${i % (count >> 1 || 1)}`, timestamp: START + 1 + i * STEP_MS, value: `product-${Math.floor(random() * 1100)}|${i}`,
  }));
  return {
    name: 'foreign-key', records: [...products, ...orders], outputSerde: strings,
    topology: () => build((b) => {
      const productTable = b.table(tableTopic('foreign-key'), Consumed.with(strings, strings), Materialized.as('products'));
      b.table(inputTopic('foreign-key'), Consumed.with(strings, strings), Materialized.as('orders'))
        .join(productTable, (order) => order.slice(0, order.indexOf('|')), (order, product) => `${order}|${product}`)
        .toStream().to(OUTPUT, Produced.with(strings, strings));
    }),
  };
}

/** Names in the order they run. */
export const WORKLOAD_NAMES = ['stateless', 'wordcount', 'tumbling', 'hopping', 'sliding', 'session', 'suppress', 'stream-table', 'stream-stream', 'foreign-key'] as const;

/**
 * The workloads named in `only` (all when undefined) at `scale`. Scale 1 is at least 1,000,000
 * records per workload (word count: 200,000 lines of 6 words; foreign-key join: 500,000 order
 * updates, each one a subscription round trip), long enough for the JVM's JIT to settle.
 */
export function workloads(scale: number, only: readonly string[] | undefined): Workload[] {
  const n = (count: number) => Math.max(10, Math.round(count * scale));
  const make: { [name in (typeof WORKLOAD_NAMES)[number]]: () => Workload } = {
    stateless: () => stateless(n(1_000_000)),
    wordcount: () => wordCount(n(200_000)),
    tumbling: () => tumbling(n(1_000_000)),
    hopping: () => hopping(n(1_000_000)),
    sliding: () => sliding(n(1_000_000)),
    session: () => session(n(1_000_000)),
    suppress: () => suppress(n(1_000_000)),
    'stream-table': () => streamTableJoin(n(1_000_000)),
    'stream-stream': () => streamStreamJoin(n(1_000_000)),
    'foreign-key': () => foreignKeyJoin(n(500_000)),
  };
  return WORKLOAD_NAMES.filter((name) => only === undefined || only.includes(name)).map((name) => make[name]());
}
