import { describeLocation, StreamsError } from '../../common/index.ts';
import { Record } from '../../processor/index.ts';
import type { TimestampExtractor } from '../../processor/index.ts';
import type { Recorder } from '../../metrics/index.ts';
import type { PreparedSerde, Serde } from '../../serde/index.ts';
import type { ConsumedRecord } from './consumed-record.ts';
import type { ErrorHandlerContext, RawInputRecord } from './exception-handler-types.ts';
import type { RuntimeNode } from './runtime-node.ts';
import type { StampedRecord } from './stamped-record.ts';
import type { TaskInternals } from './task-internals.ts';

/**
 * A source of one task: turns input bytes into a typed record (once, when it reaches the head of
 * its queue) and hands it to its children.
 */
export class SourceRuntimeNode implements RuntimeNode {
  /** Its record-e2e-latency sensor, when the task records metrics. */
  e2eLatency: Recorder | undefined = undefined;
  readonly children: RuntimeNode[] = [];

  constructor(
    readonly name: string,
    private readonly keySerde: Serde<unknown>,
    private readonly valueSerde: Serde<unknown>,
    private readonly timestampExtractor: TimestampExtractor | undefined,
    private readonly task: TaskInternals,
  ) {}

  /**
   * Deserializes `raw` and extracts its timestamp; failures name topic, partition and offset.
   * Returns undefined when the task's bad-record policy drops the record (it is then counted as
   * skipped and its offset as consumed); throws when the deserialization handler answers fail.
   */
  stamp(topic: string, partition: number, raw: ConsumedRecord, partitionTimeMs: number): StampedRecord | undefined {
    let key: unknown;
    let value: unknown;
    try {
      key = this.deserialize('key', this.keySerde, topic, partition, raw.offset, raw.key);
      value = this.deserialize('value', this.valueSerde, topic, partition, raw.offset, raw.value);
    } catch (error) {
      this.onDeserializationError(error as StreamsError, topic, partition, raw);
      return undefined;
    }
    let timestamp = raw.timestamp;
    const extractor = this.timestampExtractor ?? this.task.badRecords.extractor;
    if (extractor !== undefined) {
      timestamp = extractor({ topic, partition, offset: raw.offset, key, value, timestamp: raw.timestamp }, partitionTimeMs);
    }
    if ((!Number.isFinite(timestamp) || timestamp < 0) && this.task.badRecords.invalidTimestamp !== 'fail') {
      if (this.task.badRecords.invalidTimestamp === 'partition-time' && partitionTimeMs >= 0) {
        timestamp = partitionTimeMs;
      } else if (this.task.badRecords.invalidTimestamp === 'skip') {
        this.task.badRecords.onSkippedTimestamp(timestamp, topic, partition, raw.offset);
        this.task.recordSkipped(topic, raw.offset);
        return undefined;
      }
    }
    if (!Number.isFinite(timestamp) || timestamp < 0) {
      throw new StreamsError(
        'INVALID_TIMESTAMP',
        `source "${this.name}" in task ${this.task.taskId} got timestamp ${timestamp} for the record at ` +
          `${describeLocation({ topic, partition, offset: raw.offset })}; timestamps must be >= 0 — ` +
          'fix the producer or use a timestamp extractor that returns a valid time',
        { location: { topic, partition, offset: raw.offset } },
      );
    }
    return { record: new Record(key, value, timestamp, raw.headers), topic, partition, offset: raw.offset, raw, source: this };
  }

  /** The deserialization handler decides: the record is dropped (and counted as consumed), or the error is thrown. */
  private onDeserializationError(error: StreamsError, topic: string, partition: number, raw: ConsumedRecord): void {
    // The record is not being processed yet: the context describes it from its own bytes.
    const context: ErrorHandlerContext = {
      topic, partition, offset: raw.offset, headers: raw.headers, processorNodeId: this.name, taskId: this.task.taskId,
      timestamp: raw.timestamp, sourceRawKey: raw.key, sourceRawValue: raw.value,
    };
    const record: RawInputRecord = { topic, partition, offset: raw.offset, timestamp: raw.timestamp, key: raw.key, value: raw.value, headers: raw.headers };
    this.task.badRecords.handleDeserializationError(error, context, record, this.task.collector);
    this.task.recordSkipped(topic, raw.offset);
  }

  /**
   * Lets serdes with async set-up (Schema Registry serdes loading schema ids) prepare for a fetched
   * batch before any of it is deserialized; undefined, and no await, when neither serde needs it.
   */
  prepare(records: readonly ConsumedRecord[]): Promise<void> | undefined {
    const key = (this.keySerde as PreparedSerde<unknown>).prepareRead?.bind(this.keySerde);
    const value = (this.valueSerde as PreparedSerde<unknown>).prepareRead?.bind(this.valueSerde);
    if (key === undefined && value === undefined) return undefined;
    return Promise.all([key?.(records.map((r) => r.key)), value?.(records.map((r) => r.value))]).then(() => undefined);
  }

  process(record: Record<unknown, unknown>): void {
    for (const child of this.children) {
      this.task.currentTimestamp = record.timestamp;
      child.process(record);
    }
  }

  private deserialize(
    part: 'key' | 'value', serde: Serde<unknown>, topic: string, partition: number, offset: number, bytes: Buffer | null,
  ): unknown {
    try {
      return serde.deserialize(topic, bytes);
    } catch (cause) {
      const location = { topic, partition, offset };
      throw new StreamsError(
        'DESERIALIZATION_ERROR',
        `source "${this.name}" in task ${this.task.taskId} could not deserialize the ${part} of the record at ` +
          `${describeLocation(location)}: ${cause instanceof Error ? cause.message : String(cause)}; ` +
          `check the ${part} serde of the source (or default.${part}.serde)`,
        { cause, location },
      );
    }
  }
}
