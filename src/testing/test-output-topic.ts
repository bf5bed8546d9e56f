import { StreamsError } from '../common/index.ts';
import type { ProducedRecord } from '../runtime/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValue } from '../state/index.ts';
import type { TestRecord } from './test-record.ts';

/**
 * Where an output topic finds what the topology produced: one queue of unread records per topic,
 * shared by every output topic handle on it.
 */
export interface ProducedRecords {
  /** Takes the oldest unread record of `topic` off its queue, or undefined when none is left. */
  takeUnread(topic: string): ProducedRecord | undefined;
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

  /** Reads every remaining value. */
  readValuesToList(): Array<V | null> {
    const values: Array<V | null> = [];
    while (!this.isEmpty()) values.push(this.readValue());
    return values;
  }

  /** Reads every remaining key-value pair. */
  readKeyValuesToList(): Array<KeyValue<K | null, V | null>> {
    const pairs: Array<KeyValue<K | null, V | null>> = [];
    while (!this.isEmpty()) pairs.push(this.readKeyValue());
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
    while (!this.isEmpty()) records.push(this.readRecord());
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
