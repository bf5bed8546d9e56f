import { describeLocation, partitionForKey, StreamsError } from '../../common/index.ts';
import type { Record, StreamPartitioner, TopicNameExtractor } from '../../processor/index.ts';
import type { PreparedSerde, Serde } from '../../serde/index.ts';
import type { SerializationExceptionOrigin } from './exception-handler-types.ts';
import type { RuntimeNode } from './runtime-node.ts';
import type { TaskInternals } from './task-internals.ts';

/**
 * A sink of one task: serializes each record once and hands the bytes to the task's collector,
 * with the partition from the sink's partitioner or, by default, murmur2 of the serialized key
 * (a null key leaves the choice to the collector). A record that cannot be serialized fails the
 * task naming its input record, or is skipped, as `production.exception.handler` decides.
 */
export class SinkRuntimeNode implements RuntimeNode {
  constructor(
    readonly name: string,
    /** A fixed topic (internal topics already carry their application-id prefix) or an extractor. */
    private readonly topic: string | TopicNameExtractor<unknown, unknown>,
    private readonly keySerde: Serde<unknown>,
    private readonly valueSerde: Serde<unknown>,
    private readonly partitioner: StreamPartitioner<unknown, unknown> | undefined,
    private readonly task: TaskInternals,
  ) {}

  /**
   * Lets serdes with async set-up (a Schema Registry serde resolving its schema id) prepare for a
   * fixed topic when the task starts; undefined when neither needs it. Topics chosen per record by
   * an extractor cannot be known ahead: their serdes must be prepared by the application.
   */
  prepare(): Promise<void> | undefined {
    if (typeof this.topic !== 'string') return undefined;
    const topic = this.topic;
    const key = (this.keySerde as PreparedSerde<unknown>).prepareWrite?.bind(this.keySerde);
    const value = (this.valueSerde as PreparedSerde<unknown>).prepareWrite?.bind(this.valueSerde);
    if (key === undefined && value === undefined) return undefined;
    return Promise.all([key?.(topic), value?.(topic)]).then(() => undefined);
  }

  process(record: Record<unknown, unknown>): void {
    const topic = this.topicFor(record);
    let key: Buffer | null;
    let value: Buffer | null;
    let origin: SerializationExceptionOrigin = 'KEY';
    try {
      key = this.serialize('key', this.keySerde, topic, record.key);
      origin = 'VALUE';
      value = this.serialize('value', this.valueSerde, topic, record.value);
    } catch (error) {
      // Kafka's production exception handler decides about serialization errors too.
      const context = this.task.errorContext(this.name, record.headers, record.timestamp);
      const unserialized = { topic, partition: undefined, key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers };
      this.task.badRecords.handleSerializationError(error as StreamsError, context, unserialized, origin, this.task.collector);
      return;
    }
    this.task.collector.send({
      topic,
      partition: this.partitionFor(topic, record, key),
      key,
      value,
      timestamp: record.timestamp,
      headers: record.headers,
    });
  }

  private topicFor(record: Record<unknown, unknown>): string {
    if (typeof this.topic === 'string') return this.topic;
    const metadata = this.task.currentMetadata;
    return this.topic(record.key, record.value, {
      topic: metadata?.topic,
      partition: metadata?.partition,
      offset: metadata?.offset,
      timestamp: record.timestamp,
    });
  }

  private partitionFor(topic: string, record: Record<unknown, unknown>, key: Buffer | null): number | undefined {
    const collector = this.task.collector;
    if (this.partitioner !== undefined) {
      return this.partitioner(topic, record.key, record.value, collector.partitionsFor(topic));
    }
    return key === null ? undefined : partitionForKey(key, collector.partitionsFor(topic));
  }

  private serialize(part: 'key' | 'value', serde: Serde<unknown>, topic: string, data: unknown): Buffer | null {
    try {
      return serde.serialize(topic, data);
    } catch (cause) {
      const input = this.task.currentMetadata;
      const from = input === undefined ? 'from a punctuator' : `for the input record at ${describeLocation(input)}`;
      throw new StreamsError(
        'SERIALIZATION_ERROR',
        `sink "${this.name}" in task ${this.task.taskId} could not serialize the ${part} for topic "${topic}" ${from}: ` +
          `${cause instanceof Error ? cause.message : String(cause)}; check the ${part} serde of the sink (or default.${part}.serde)`,
        { cause, ...(input === undefined ? {} : { location: { ...input } }) },
      );
    }
  }
}
