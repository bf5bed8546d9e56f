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

/**
 * How an input topic hands serialized records to its driver: undefined when the record and all it
 * caused were processed synchronously (a failure then throws), else a Promise of that.
 */
export interface InputSink {
  pipeSerialized(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: readonly Header[]): void | Promise<void>;
}

const DONE = Promise.resolve();
/** Shared by records piped without headers; nothing downstream mutates a record's headers array. */
const NO_HEADERS: readonly Header[] = Object.freeze([]);

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
    try {
      const piped = args.length === 1
        ? this.pipe(null, args[0] as V | null, undefined, undefined)
        : this.pipe(args[0] as K | null, args[1] as V | null, args[2] as number | undefined, undefined);
      return piped ?? DONE;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // The list methods wait only for records whose processing went asynchronous (a store doing I/O):
  // with in-memory stores a whole list is processed without a microtask per record.

  /** Pipes values with null keys, one after another. */
  async pipeValueList(values: ReadonlyArray<V | null>): Promise<void> {
    for (const value of values) {
      const piped = this.pipe(null, value, undefined, undefined);
      if (piped !== undefined) await piped;
    }
  }

  /** Pipes key-value pairs, one after another. */
  async pipeKeyValueList(keyValues: ReadonlyArray<KeyValue<K | null, V | null>>): Promise<void> {
    for (const { key, value } of keyValues) {
      const piped = this.pipe(key, value, undefined, undefined);
      if (piped !== undefined) await piped;
    }
  }

  /** Pipes full records; those without a timestamp get the topic's current time. */
  async pipeRecordList(records: ReadonlyArray<TestRecordInput<K, V>>): Promise<void> {
    for (const record of records) {
      const piped = this.pipe(record.key ?? null, record.value, record.timestamp, record.headers);
      if (piped !== undefined) await piped;
    }
  }

  /** Moves the time given to records piped without a timestamp. */
  advanceTime(ms: number): void {
    this.currentTimeMs += checkTime(ms, 'advanceTime', this.name);
  }

  /** Serializes and hands over one record: undefined when it was processed synchronously; throws on failure. */
  private pipe(key: K | null, value: V | null, timestamp: number | undefined, headers: readonly Header[] | undefined): void | Promise<void> {
    if (timestamp === undefined) {
      timestamp = this.currentTimeMs;
      this.currentTimeMs += this.autoAdvanceMs;
    }
    const keyBytes = this.keySerde.serialize(this.name, key);
    const valueBytes = this.valueSerde.serialize(this.name, value);
    return this.driver.pipeSerialized(this.name, keyBytes, valueBytes, timestamp, headers ?? NO_HEADERS);
  }
}

function checkTime(ms: number, what: string, topic: string): number {
  if (!Number.isInteger(ms) || ms < 0) {
    throw new StreamsError('INVALID_ARGUMENT', `input topic "${topic}": ${what} must be a whole number of milliseconds >= 0, got ${ms}`);
  }
  return ms;
}
