import { StreamsError } from '../common/index.ts';
import type { ProducedRecord } from '../runtime/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValue } from '../state/index.ts';
import type { TestRecord } from './test-record.ts';

/** Receives one record taken off a topic's queue. */
export type UnreadVisitor = (key: Buffer | null, value: Buffer | null, timestamp: number, headers: ProducedRecord['headers']) => void;

/**
 * Where an output topic finds what the topology produced: one queue of unread records per topic,
 * shared by every output topic handle on it.
 */
export interface ProducedRecords {
  /** Takes the oldest unread record of `topic` off its queue, or undefined when none is left. */
  takeUnread(topic: string): ProducedRecord | undefined;
  /**
   * Takes the unread records of `topic` off its queue one by one, oldest first, handing each to
   * `visit` once it is taken (key and value are views, never to be written); when `visit` throws,
   * the records after that one stay unread.
   */
  takeEachUnread(topic: string, visit: UnreadVisitor): void;
  /** How many records of `topic` were produced and not yet read (0 for a topic nothing was produced to). */
  unreadCount(topic: string): number;
  /** True when something was produced to `topic`, or the topology writes to it (a sink topic). */
  isKnownTopic(topic: string): boolean;
}

/**
 * Reads what a topology produced to one topic, deserializing with the topic's serdes. Reads are
 * synchronous. As in Kafka's driver, reading consumes: the driver keeps every record produced to
 * the topic until some handle reads it (so a handle created after the input was piped still sees
 * it), and a record read through one handle is gone for every handle on that topic.
 *
 * Reading when nothing is left throws EMPTY_TOPIC (`Empty topic: <name>`); reading a topic the
 * topology neither writes to nor produced to throws UNKNOWN_TOPIC_IN_DRIVER (`Unknown topic: <name>`).
 *
 * @example
 * const counts = driver.createOutputTopic('counts', Serdes.String(), Serdes.Long());
 * counts.readKeyValue();        // { key: 'hello', value: 1 }
 * counts.isEmpty();             // true once everything was read
 */
export class TestOutputTopic<K, V> {
  constructor(
    private readonly records: ProducedRecords,
    readonly name: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  /** Reads the next record's value. */
  readValue(): V | null {
    return this.readRecord().value;
  }

  /** Reads the next record's key and value. */
  readKeyValue(): KeyValue<K | null, V | null> {
    const { key, value } = this.readRecord();
    return { key, value };
  }

  /** Reads the next record with its timestamp and headers. */
  readRecord(): TestRecord<K, V> {
    if (!this.records.isKnownTopic(this.name)) {
      throw new StreamsError('UNKNOWN_TOPIC_IN_DRIVER', `Unknown topic: ${this.name}`);
    }
    const next = this.records.takeUnread(this.name);
    if (next === undefined) throw new StreamsError('EMPTY_TOPIC', `Empty topic: ${this.name}`);
    return {
      key: this.keySerde.deserialize(this.name, next.key),
      value: this.valueSerde.deserialize(this.name, next.value),
      timestamp: next.timestamp,
      headers: next.headers,
    };
  }

  // The list readers take records one by one, as reading them singly would (a record that cannot be
  // deserialized is consumed, those after it are not), without a record object per record.

  /** Reads every remaining value. */
  readValuesToList(): Array<V | null> {
    const values: Array<V | null> = [];
    this.records.takeEachUnread(this.name, (key, value) => {
      // The key is deserialized too, as reading a record does: a bad key fails here as in readValue.
      this.keySerde.deserialize(this.name, key);
      values.push(this.valueSerde.deserialize(this.name, value));
    });
    return values;
  }

  /** Reads every remaining key-value pair. */
  readKeyValuesToList(): Array<KeyValue<K | null, V | null>> {
    const pairs: Array<KeyValue<K | null, V | null>> = [];
    this.records.takeEachUnread(this.name, (key, value) => {
      pairs.push({ key: this.keySerde.deserialize(this.name, key), value: this.valueSerde.deserialize(this.name, value) });
    });
    return pairs;
  }

  /**
   * Reads every remaining record into a map, the latest value per key winning (a null value is kept
   * as null, as Kafka's does). Keys must not be null.
   */
  readKeyValuesToMap(): Map<K, V | null> {
    const map = new Map<K, V | null>();
    while (!this.isEmpty()) {
      const { key, value } = this.readKeyValue();
      if (key === null) {
        throw new StreamsError('ILLEGAL_STATE', `readKeyValuesToMap on topic "${this.name}" met a record with a null key; read it with readKeyValuesToList instead`);
      }
      map.set(key, value);
    }
    return map;
  }

  /** Reads every remaining record. */
  readRecordsToList(): Array<TestRecord<K, V>> {
    const records: Array<TestRecord<K, V>> = [];
    this.records.takeEachUnread(this.name, (key, value, timestamp, headers) => {
      records.push({ key: this.keySerde.deserialize(this.name, key), value: this.valueSerde.deserialize(this.name, value), timestamp, headers });
    });
    return records;
  }

  /** Records of this topic not yet read through any handle (0 for a topic nothing was produced to). */
  getQueueSize(): number {
    return this.records.unreadCount(this.name);
  }

  isEmpty(): boolean {
    return this.getQueueSize() === 0;
  }
}
