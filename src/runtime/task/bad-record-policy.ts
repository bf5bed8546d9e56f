import { getLogger, StreamsError } from '../../common/index.ts';
import type { Record, TimestampExtractor } from '../../processor/index.ts';
import { deadLetterTopicOf, deserializationHandlerOf, processingHandlerOf, productionHandlerOf } from './exception-handler-config.ts';
import type {
  DeserializationExceptionHandler, ErrorHandlerContext, ExceptionHandlerResponse, ProcessingExceptionHandler, ProductionErrorRecord,
  ProductionExceptionHandler, RawInputRecord, SerializationExceptionOrigin,
} from './exception-handler-types.ts';
import type { RecordCollector } from './record-collector.ts';

const log = getLogger('runtime');

/**
 * What a task does with a record it cannot use, from Kafka Streams' configs:
 * - the three exception handlers (see exception-handler-types.ts): `deserialization.exception.handler`
 *   (or `default.deserialization.exception.handler`), `processing.exception.handler` and
 *   `production.exception.handler` (or `default.production.exception.handler`): a function, or
 *   `logAndFail` (default) / `logAndContinue` / Kafka's class names for those;
 * - `errors.dead.letter.queue.topic.name`: the built-in handlers, resuming or failing, also send
 *   the failed input record there with `__streams.errors.*` headers;
 * - `processing.exception.handler.global.enabled` (default false): whether the processing handler
 *   also decides for the processors of global stores; as in Kafka 4.x, they never send dead-letter
 *   records (dropped with a warning);
 * - `default.timestamp.extractor`: `failOnInvalidTimestamp` (default), `logAndSkipOnInvalidTimestamp`,
 *   `usePartitionTimeOnInvalidTimestamp`, or a TimestampExtractor function used for every source.
 *
 * Each `handle…Error` method asks its handler, sends the dead-letter records it returns through the
 * task's collector, then returns (the caller drops the record) or throws the given failure.
 */
export class BadRecordPolicy {
  /** Records skipped so far: resumed by a handler, or dropped for an invalid timestamp. */
  skipped = 0;
  readonly invalidTimestamp: 'fail' | 'skip' | 'partition-time';
  readonly extractor: TimestampExtractor | undefined;
  private readonly onProduction: ProductionExceptionHandler;
  private readonly onDeserialization: DeserializationExceptionHandler;
  private readonly onProcessing: ProcessingExceptionHandler;
  /** Failures a handler already decided on: the processors they pass through on the way up rethrow them. */
  private readonly decided = new WeakSet<Error>();

  /**
   * @param global the policy of the global task (global stores' processors), for which the
   *   processing handler applies only with `processing.exception.handler.global.enabled`.
   * @param onSkip counts a skipped record in the task's dropped-records metric.
   */
  constructor(config: Readonly<{ [key: string]: unknown }>, private readonly global = false, private readonly onSkip: () => void = () => {}) {
    const deadLetterTopic = deadLetterTopicOf(config);
    this.onDeserialization = deserializationHandlerOf(config, deadLetterTopic);
    const globalEnabled = globalProcessingHandled(config);
    this.onProcessing = !global || globalEnabled ? processingHandlerOf(config, deadLetterTopic) : processingHandlerOf({}, undefined);
    this.onProduction = productionHandlerOf(config, deadLetterTopic);
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

  /** True when a handler already decided to fail on `error` (it passes through the processors above). */
  isDecided(error: unknown): boolean {
    return error instanceof Error && this.decided.has(error);
  }

  /** An input record whose key or value could not be deserialized: resumes (returns) or throws `error`. */
  handleDeserializationError(error: StreamsError, context: ErrorHandlerContext, record: RawInputRecord, collector: RecordCollector): void {
    this.decide('deserialization', () => this.onDeserialization(context, record, error), error, collector, true);
  }

  /**
   * A processor threw `cause` (`record` is null for a punctuator): resumes (returns) or throws
   * `failure` (the coded error naming the processor).
   */
  handleProcessingError(failure: Error, cause: Error, context: ErrorHandlerContext, record: Record<unknown, unknown> | null, collector: RecordCollector): void {
    this.decide('processing', () => this.onProcessing(context, record, cause), failure, collector, record !== null);
  }

  /** An output or store write that could not be serialized: resumes (returns) or throws `error`. */
  handleSerializationError(
    error: StreamsError, context: ErrorHandlerContext, record: ProductionErrorRecord, origin: SerializationExceptionOrigin | undefined, collector: RecordCollector,
  ): void {
    this.decide('production', () => this.onProduction(context, record, error, origin), error, collector, true);
  }

  /** Counts and reports a record dropped for its invalid timestamp (`logAndSkipOnInvalidTimestamp`). */
  onSkippedTimestamp(timestamp: number, topic: string, partition: number, offset: number): void {
    this.skip();
    log.warn(`skipping the record at topic "${topic}" partition ${partition} offset ${offset}: invalid timestamp ${timestamp}`);
  }

  /** Asks, sends the dead-letter records, then throws or resumes; `skipsRecord` is false for a punctuator's failure. */
  private decide(kind: string, ask: () => ExceptionHandlerResponse, failure: Error, collector: RecordCollector, skipsRecord: boolean): void {
    const response = askHandler(kind, ask, failure);
    if (this.global && kind === 'processing' && response.deadLetterQueueRecords.length > 0) {
      log.warn(`dropping ${response.deadLetterQueueRecords.length} dead-letter record(s) of a global store's processor: Kafka Streams sends none for global stores either`);
      return this.conclude(response, failure, skipsRecord);
    }
    for (const dead of response.deadLetterQueueRecords) {
      collector.send({ topic: dead.topic, partition: dead.partition, key: dead.key, value: dead.value, timestamp: dead.timestamp, headers: dead.headers });
    }
    this.conclude(response, failure, skipsRecord);
  }

  private conclude(response: ExceptionHandlerResponse, failure: Error, skipsRecord: boolean): void {
    if (response.result !== 'resume') {
      this.decided.add(failure);
      throw failure;
    }
    if (skipsRecord) this.skip();
  }

  private skip(): void {
    this.skipped++;
    this.onSkip();
  }
}

/**
 * `processing.exception.handler.global.enabled`: true or "true" (Kafka's properties are text).
 * @throws StreamsError INVALID_CONFIG for anything but a boolean.
 */
function globalProcessingHandled(config: Readonly<{ [key: string]: unknown }>): boolean {
  const key = 'processing.exception.handler.global.enabled';
  const value = config[key] ?? false;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new StreamsError('INVALID_CONFIG', `"${key}" must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * Calls a handler and checks its answer. A handler that throws or answers something else than an
 * ExceptionHandlerResponse stops the task (Kafka: "Fatal user code error in … error callback").
 */
export function askHandler(kind: string, ask: () => ExceptionHandlerResponse, failure: Error): ExceptionHandlerResponse {
  let response: ExceptionHandlerResponse;
  try {
    response = ask();
  } catch (cause) {
    throw new StreamsError(
      'EXCEPTION_HANDLER_ERROR',
      `the ${kind} exception handler threw while handling "${failure.message}": ${cause instanceof Error ? cause.message : String(cause)}; a handler must return ExceptionHandlerResponse.resume() or .fail()`,
      { cause },
    );
  }
  const result = (response as Partial<ExceptionHandlerResponse> | undefined)?.result;
  if ((result !== 'resume' && result !== 'fail' && result !== 'retry') || !Array.isArray(response.deadLetterQueueRecords)) {
    throw new StreamsError(
      'EXCEPTION_HANDLER_ERROR',
      `the ${kind} exception handler answered ${JSON.stringify(response)} while handling "${failure.message}"; return ExceptionHandlerResponse.resume(records?) or ExceptionHandlerResponse.fail(records?)`,
      { cause: failure },
    );
  }
  return response;
}
