import { StreamsError } from '../common/index.ts';
import type { ProducedRecord } from '../runtime/index.ts';
import type { Serde } from '../serde/index.ts';
import type { KeyValue } from '../state/index.ts';
import type { TestRecord } from './test-record.ts';

/** Where an output topic finds what the topology produced. */
export interface ProducedRecords {
  /** Everything produced to `topic` so far, or undefined when nothing was. */
  producedTo(topic: string): readonly ProducedRecord[] | undefined;
  /** True when the topology writes to `topic` (a sink topic), even if nothing was produced yet. */
  isSinkTopic(topic: string): boolean;
}

/**
 * Reads what a topology produced to one topic, deserializing with the topic's serdes. Reads are
 * synchronous. Each handle has its own position: it sees every record the driver kept for the
 * topic (also those produced before the handle was created), and reading consumes them from this
 * handle only.
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
  private position = 0;

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
    const produced = this.records.producedTo(this.name);
    if (produced === undefined && !this.records.isSinkTopic(this.name)) {
      throw new StreamsError('UNKNOWN_TOPIC_IN_DRIVER', `Unknown topic: ${this.name}`);
    }
    const next = produced?.[this.position];
    if (next === undefined) throw new StreamsError('EMPTY_TOPIC', `Empty topic: ${this.name}`);
    this.position++;
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

  /** Records not yet read through this handle (0 for a topic nothing was produced to). */
  getQueueSize(): number {
    const produced = this.records.producedTo(this.name);
    return produced === undefined ? 0 : produced.length - this.position;
  }

  isEmpty(): boolean {
    return this.getQueueSize() === 0;
  }
}
