import { StreamsError } from '../common/index.ts';
import type { Header } from '../processor/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValue } from '../state/index.ts';
import type { TestRecordInput } from './test-record.ts';

/** Options of `createInputTopic` (Kafka's TestInputTopic start time and auto-advance). */
export interface InputTopicOptions {
  /** Timestamp given to the first record piped without one; default: the driver's wall-clock time. */
  startTimestamp?: number;
  /** How far the topic's time moves after each record piped without a timestamp; default 0. */
  autoAdvance?: number;
}

/** How an input topic hands serialized records to its driver. */
export interface InputSink {
  pipeSerialized(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: readonly Header[]): Promise<void>;
}

/**
 * Pipes records into one input topic of a TopologyTestDriver, serializing them with the topic's
 * serdes. Every pipe method returns a Promise that settles once the record (and everything it
 * caused: repartitioned records, punctuations, cache flushes) has been processed.
 *
 * Records piped without a timestamp get the topic's current time, which then moves on by
 * `autoAdvance`; `advanceTime` moves it by hand. Explicit timestamps leave it alone.
 *
 * @example
 * const input = driver.createInputTopic('orders', Serdes.String(), Serdes.Long(), { startTimestamp: 0, autoAdvance: 10 });
 * await input.pipeInput('alice', 5);       // timestamp 0
 * await input.pipeInput('bob', 7);         // timestamp 10
 * await input.pipeInput('carol', 1, 500);  // timestamp 500; the next auto time is still 20
 */
export class TestInputTopic<K, V> {
  private currentTimeMs: number;
  private readonly autoAdvanceMs: number;

  constructor(
    private readonly driver: InputSink,
    readonly name: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    options: InputTopicOptions & { startTimestamp: number },
  ) {
    this.currentTimeMs = checkTime(options.startTimestamp, 'startTimestamp', name);
    this.autoAdvanceMs = checkTime(options.autoAdvance ?? 0, 'autoAdvance', name);
  }

  /** Pipes a value with a null key. */
  pipeInput(value: V | null): Promise<void>;
  /** Pipes a key and value, at `timestamp` or at the topic's current time. */
  pipeInput(key: K | null, value: V | null, timestamp?: number): Promise<void>;
  pipeInput(...args: unknown[]): Promise<void> {
    if (args.length === 1) return this.pipe({ value: args[0] as V | null });
    const key = args[0] as K | null;
    const value = args[1] as V | null;
    const timestamp = args[2] as number | undefined;
    return this.pipe(timestamp === undefined ? { key, value } : { key, value, timestamp });
  }

  /** Pipes values with null keys, one after another. */
  async pipeValueList(values: ReadonlyArray<V | null>): Promise<void> {
    for (const value of values) await this.pipe({ value });
  }

  /** Pipes key-value pairs, one after another. */
  async pipeKeyValueList(keyValues: ReadonlyArray<KeyValue<K | null, V | null>>): Promise<void> {
    for (const { key, value } of keyValues) await this.pipe({ key, value });
  }

  /** Pipes full records; those without a timestamp get the topic's current time. */
  async pipeRecordList(records: ReadonlyArray<TestRecordInput<K, V>>): Promise<void> {
    for (const record of records) await this.pipe(record);
  }

  /** Moves the time given to records piped without a timestamp. */
  advanceTime(ms: number): void {
    this.currentTimeMs += checkTime(ms, 'advanceTime', this.name);
  }

  private pipe(record: TestRecordInput<K, V>): Promise<void> {
    let timestamp = record.timestamp;
    if (timestamp === undefined) {
      timestamp = this.currentTimeMs;
      this.currentTimeMs += this.autoAdvanceMs;
    }
    const key = this.keySerde.serialize(this.name, record.key ?? null);
    const value = this.valueSerde.serialize(this.name, record.value);
    return this.driver.pipeSerialized(this.name, key, value, timestamp, record.headers ?? []);
  }
}

function checkTime(ms: number, what: string, topic: string): number {
  if (!Number.isInteger(ms) || ms < 0) {
    throw new StreamsError('INVALID_ARGUMENT', `input topic "${topic}": ${what} must be a whole number of milliseconds >= 0, got ${ms}`);
  }
  return ms;
}
