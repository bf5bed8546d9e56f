import type { Serde } from '../../serde/index.ts';
import type { Topology } from '../../topology/index.ts';
import type { InputRecord } from '../generators/input-record.ts';
import { TopologyTestDriver } from '../topology-test-driver.ts';
import type { TestRecord } from '../test-record.ts';
import { storeEntries } from './store-entries.ts';

/** Serdes of one topic: how the driver writes inputs and reads outputs. */
export interface TopicSerdes {
  readonly keySerde: Serde<any>;
  readonly valueSerde: Serde<any>;
}

/** What a property runs: a topology, its config, and the serdes of the topics it reads and writes. */
export interface TopologyUnderTest {
  /** Builds a fresh topology (each run needs its own). */
  readonly topology: () => Topology;
  readonly config?: Readonly<{ [key: string]: unknown }>;
  readonly inputs: Readonly<{ [topic: string]: TopicSerdes }>;
  readonly outputs?: Readonly<{ [topic: string]: TopicSerdes }>;
  /**
   * Stores whose final contents the run reports: key-value stores by key, window and session
   * stores by windowed key (`[key@start/end]`, the text of a `Windowed` key).
   */
  readonly stores?: readonly string[];
  /** Advance stream time past the last windows when the input ends: see {@link EndOfInput}. */
  readonly endOfInput?: EndOfInput;
}

/**
 * The end of a finite input for final-results windowed topologies. Stream time is kept per task
 * (sub-topology and partition) and only records move it, so when the input ends the last windows
 * of some partitions are still open and `suppress`/emit-on-window-close have not emitted them.
 * With `endOfInput`, after the input each distinct (topic, key, value) of the input is sent once
 * more at `advanceMs` after the newest input timestamp, which reaches every partition (and every
 * repartitioned partition) the input reached; output records of windows that start after the
 * newest input timestamp — the ones these closing records make — are left out. Stores are read
 * before the closing records (a closed window may expire from its store, as in Kafka Streams).
 *
 * `advanceMs` must exceed the longest window size (or session gap, or sliding time difference)
 * plus its grace period. The closing records do count in non-windowed aggregations of the same
 * run: use it for windowed topologies.
 */
export interface EndOfInput {
  readonly advanceMs: number;
}

/** How a run is done: partitions, and where (record index) to restart from changelogs. */
export interface RunOptions {
  readonly partitions?: number;
  /** Close the driver after this many records and continue in a new one restored from its changelogs. */
  readonly restartAfter?: readonly number[];
  /** The partition count from the first restart on (default: `partitions`): a scale-out. */
  readonly partitionsAfterRestart?: number;
}

/** What a run produced: every output record per topic, and the final contents of the stores asked for. */
export interface RunResult {
  readonly outputs: ReadonlyMap<string, ReadonlyArray<TestRecord<unknown, unknown>>>;
  readonly stores: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
}

/**
 * A stable identity for a key in result maps: strings as they are, `Windowed` keys and other
 * objects with their own `toString` by it, anything else as JSON.
 */
export function keyId(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key !== null && typeof key === 'object' && key.toString !== Object.prototype.toString) return String(key);
  return JSON.stringify(key);
}

/**
 * Runs `input` through the topology in the TopologyTestDriver — in one partition, or in several
 * (a task per partition, inputs partitioned by Kafka's murmur2 partitioner), optionally restarting
 * from changelogs at the given points — and returns outputs and final store contents.
 *
 * @example
 * const result = await runTopology({ topology: build, inputs: { orders: { keySerde, valueSerde } }, stores: ['totals'] }, records, { partitions: 3 });
 */
export async function runTopology(spec: TopologyUnderTest, input: ReadonlyArray<InputRecord>, options: RunOptions = {}): Promise<RunResult> {
  const config = { 'application.id': 'property', ...spec.config };
  const cuts = [...(options.restartAfter ?? [])].filter((n) => n > 0 && n < input.length).sort((a, b) => a - b);
  const outputs = new Map<string, Array<TestRecord<unknown, unknown>>>();
  let driver = new TopologyTestDriver(spec.topology(), config, { partitions: options.partitions ?? 1 });
  let piped = 0;
  for (const cut of [...cuts, input.length]) {
    for (; piped < cut; piped++) {
      const record = input[piped]!;
      const serdes = spec.inputs[record.topic];
      if (serdes === undefined) throw new Error(`runTopology: no serdes for input topic "${record.topic}"; add it to the spec's inputs`);
      await driver.createInputTopic(record.topic, serdes.keySerde, serdes.valueSerde).pipeInput(record.key, record.value, record.timestamp);
    }
    collectOutputs(driver, spec, outputs);
    if (cut === input.length) break;
    await driver.close();
    driver = new TopologyTestDriver(spec.topology(), config, { partitions: options.partitionsAfterRestart ?? options.partitions ?? 1, restoreFrom: driver });
  }
  // Stores are read before the closing records: a window that closes may expire from its store
  // (retention defaults to size + grace), as in Kafka Streams.
  const stores = new Map<string, Map<string, unknown>>();
  for (const name of spec.stores ?? []) {
    const partitions = driver.getStateStores(name);
    if (partitions.length === 0) throw new Error(`runTopology: the topology has no store "${name}"; the spec's "stores" names stores of the topology (see topology.describe())`);
    stores.set(name, new Map(storeEntries(partitions).map(({ key, value }) => [keyId(key), value])));
  }
  if (spec.endOfInput !== undefined) {
    const newest = await closeLastWindows(driver, spec, input, spec.endOfInput, outputs);
    for (const [topic, records] of outputs) outputs.set(topic, records.filter((r) => !startsAfter(r.key, newest)));
  }
  await driver.close();
  return { outputs, stores };
}

/** Sends the closing records of {@link EndOfInput}; returns the newest input timestamp. */
async function closeLastWindows(
  driver: TopologyTestDriver, spec: TopologyUnderTest, input: ReadonlyArray<InputRecord>, endOfInput: EndOfInput, outputs: Map<string, Array<TestRecord<unknown, unknown>>>,
): Promise<number> {
  const newest = input.reduce((max, r) => Math.max(max, r.timestamp), 0);
  const sent = new Set<string>();
  for (const record of input) {
    const id = JSON.stringify([record.topic, keyId(record.key), keyId(record.value)]);
    if (sent.has(id)) continue;
    sent.add(id);
    const serdes = spec.inputs[record.topic]!;
    await driver.createInputTopic(record.topic, serdes.keySerde, serdes.valueSerde).pipeInput(record.key, record.value, newest + endOfInput.advanceMs);
  }
  collectOutputs(driver, spec, outputs);
  return newest;
}

/** True for a windowed key (`{ key, window: { start } }`) whose window starts after `time`. */
function startsAfter(key: unknown, time: number): boolean {
  const window = (key as { window?: { start?: unknown } } | null)?.window;
  return typeof window?.start === 'number' && window.start > time;
}

function collectOutputs(driver: TopologyTestDriver, spec: TopologyUnderTest, into: Map<string, Array<TestRecord<unknown, unknown>>>): void {
  for (const [topic, serdes] of Object.entries(spec.outputs ?? {})) {
    const records = driver.createOutputTopic(topic, serdes.keySerde, serdes.valueSerde).readRecordsToList();
    into.set(topic, [...(into.get(topic) ?? []), ...records]);
  }
}

/** The latest value per key of an output topic: the table a changelog-style output describes (null values delete). */
export function latestByKey(records: ReadonlyArray<TestRecord<unknown, unknown>>): Map<string, unknown> {
  const table = new Map<string, unknown>();
  for (const record of records) {
    if (record.value === null) table.delete(keyId(record.key));
    else table.set(keyId(record.key), record.value);
  }
  return table;
}
