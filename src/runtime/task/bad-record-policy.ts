import { StreamsError, getLogger } from '../../common/index.ts';
import type { TimestampExtractor } from '../../processor/index.ts';
import type { ConsumedRecord } from './consumed-record.ts';
import type { RecordCollector } from './record-collector.ts';

const log = getLogger('runtime');

/**
 * What a task does with an input record it cannot use, from Kafka Streams' configs:
 * - `default.deserialization.exception.handler`: `logAndFail` (default) stops the task with the
 *   error; `logAndContinue` logs it, counts the record as skipped and goes on;
 * - `errors.deadletterqueue.topic.name`: also sends the raw record there, with the error, topic,
 *   partition and offset in `__streams.errors.*` headers (so the record is not lost);
 * - `processing.exception.handler`: `logAndFail` (default) stops the task when a processor throws;
 *   `logAndContinue` logs it, counts the record as skipped for that processor and goes on;
 * - `production.exception.handler` (or Kafka's older name `default.production.exception.handler`):
 *   for a record whose output or state-store write cannot be serialized (a poison record: it
 *   decoded, but what the topology made of it does not fit a serde), `logAndFail` (default) stops
 *   the task with an error naming the input record's topic, partition and offset; `logAndContinue`
 *   logs it, counts it as skipped and goes on. The runtime's collector also uses it for records the
 *   cluster refuses;
 * - `default.timestamp.extractor`: `failOnInvalidTimestamp` (default), `logAndSkipOnInvalidTimestamp`,
 *   `usePartitionTimeOnInvalidTimestamp`, or a TimestampExtractor function used for every source.
 */
export class BadRecordPolicy {
  /** Records skipped so far, by deserialization errors and invalid timestamps. */
  skipped = 0;
  readonly continueOnDeserializationError: boolean;
  readonly continueOnProcessingError: boolean;
  readonly continueOnProductionError: boolean;
  readonly deadLetterTopic: string | undefined;
  readonly invalidTimestamp: 'fail' | 'skip' | 'partition-time';
  readonly extractor: TimestampExtractor | undefined;

  constructor(config: Readonly<{ [key: string]: unknown }>, private readonly onSkip: () => void = () => {}) {
    const handler = config['default.deserialization.exception.handler'] ?? 'logAndFail';
    if (handler !== 'logAndFail' && handler !== 'logAndContinue') {
      throw new StreamsError('INVALID_CONFIG', `"default.deserialization.exception.handler" must be "logAndFail" or "logAndContinue", got ${JSON.stringify(handler)}`);
    }
    const deadLetter = config['errors.deadletterqueue.topic.name'];
    if (deadLetter !== undefined && (typeof deadLetter !== 'string' || deadLetter.length === 0)) {
      throw new StreamsError('INVALID_CONFIG', `"errors.deadletterqueue.topic.name" must be a topic name, got ${JSON.stringify(deadLetter)}`);
    }
    this.deadLetterTopic = deadLetter;
    const onProcessing = config['processing.exception.handler'] ?? 'logAndFail';
    if (onProcessing !== 'logAndFail' && onProcessing !== 'logAndContinue') {
      throw new StreamsError('INVALID_CONFIG', `"processing.exception.handler" must be "logAndFail" or "logAndContinue", got ${JSON.stringify(onProcessing)}`);
    }
    this.continueOnProcessingError = onProcessing === 'logAndContinue';
    this.continueOnProductionError = productionHandlerOf(config) === 'logAndContinue';
    this.continueOnDeserializationError = handler === 'logAndContinue' || deadLetter !== undefined;
    const extractor = config['default.timestamp.extractor'] ?? 'failOnInvalidTimestamp';
    if (typeof extractor === 'function') {
      this.extractor = extractor as TimestampExtractor;
      this.invalidTimestamp = 'fail';
    } else if (extractor === 'failOnInvalidTimestamp' || extractor === 'logAndSkipOnInvalidTimestamp' || extractor === 'usePartitionTimeOnInvalidTimestamp') {
      this.extractor = undefined;
      this.invalidTimestamp = extractor === 'failOnInvalidTimestamp' ? 'fail' : extractor === 'logAndSkipOnInvalidTimestamp' ? 'skip' : 'partition-time';
    } else {
      throw new StreamsError(
        'INVALID_CONFIG',
        `"default.timestamp.extractor" must be failOnInvalidTimestamp, logAndSkipOnInvalidTimestamp, usePartitionTimeOnInvalidTimestamp or a function, got ${JSON.stringify(extractor)}`,
      );
    }
  }

  /** Counts and reports a record a processor failed on (`processing.exception.handler: logAndContinue`). */
  onProcessingError(error: Error): void {
    this.skip();
    log.warn(`skipping a record a processor failed on: ${error.message}`);
  }

  /** Counts and reports a record whose output or store write could not be serialized (`production.exception.handler: logAndContinue`). */
  onSerializationError(error: StreamsError): void {
    this.skip();
    log.warn(`skipping a record: ${error.message}`);
  }

  /** Counts and reports a record dropped for its invalid timestamp (`logAndSkipOnInvalidTimestamp`). */
  onSkippedTimestamp(timestamp: number, topic: string, partition: number, offset: number): void {
    this.skip();
    log.warn(`skipping the record at topic "${topic}" partition ${partition} offset ${offset}: invalid timestamp ${timestamp}`);
  }

  /**
   * Decides about a record whose deserialization failed: rethrows under `logAndFail`, otherwise
   * logs, dead-letters when configured, counts and returns (the caller drops the record).
   */
  onDeserializationError(error: StreamsError, raw: ConsumedRecord, topic: string, partition: number, collector: RecordCollector): void {
    if (!this.continueOnDeserializationError) throw error;
    this.skip();
    log.warn(`skipping a record that could not be deserialized: ${error.message}`);
    if (this.deadLetterTopic === undefined) return;
    const text = (s: string) => Buffer.from(s, 'utf8');
    collector.send({
      topic: this.deadLetterTopic,
      partition: undefined,
      key: raw.key,
      value: raw.value,
      timestamp: raw.timestamp,
      headers: [
        ...raw.headers,
        { key: '__streams.errors.exception', value: text(error.code) },
        { key: '__streams.errors.message', value: text(error.message) },
        { key: '__streams.errors.topic', value: text(topic) },
        { key: '__streams.errors.partition', value: text(String(partition)) },
        { key: '__streams.errors.offset', value: text(String(raw.offset)) },
      ],
    });
  }

  private skip(): void {
    this.skipped++;
    this.onSkip();
  }
}

/**
 * The configured production exception handler: `production.exception.handler`, or Kafka's older
 * key `default.production.exception.handler`; `logAndFail` when neither is set.
 * @throws StreamsError INVALID_CONFIG for any other value.
 */
export function productionHandlerOf(config: Readonly<{ [key: string]: unknown }>): 'logAndFail' | 'logAndContinue' {
  const key = config['production.exception.handler'] === undefined && config['default.production.exception.handler'] !== undefined
    ? 'default.production.exception.handler'
    : 'production.exception.handler';
  const handler = config[key] ?? 'logAndFail';
  if (handler !== 'logAndFail' && handler !== 'logAndContinue') {
    throw new StreamsError('INVALID_CONFIG', `"${key}" must be "logAndFail" or "logAndContinue", got ${JSON.stringify(handler)}`);
  }
  return handler;
}
