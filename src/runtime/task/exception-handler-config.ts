import { getLogger, StreamsError } from '../../common/index.ts';
import { deadLetterQueueRecord } from './dead-letter-queue.ts';
import { ExceptionHandlerResponse } from './exception-handler-types.ts';
import type { Record } from '../../processor/index.ts';
import type {
  DeserializationExceptionHandler, ErrorHandlerContext, ProcessingExceptionHandler, ProductionErrorRecord, ProductionExceptionHandler, RawInputRecord,
} from './exception-handler-types.ts';

const log = getLogger('runtime');

/** Kafka Streams 4.x's key for the dead-letter queue of all three handler kinds (KIP-1034). */
export const DEAD_LETTER_QUEUE_KEY = 'errors.dead.letter.queue.topic.name';
/** The key earlier kstreams versions read (Kafka Connect's spelling): still read, with a warning. */
export const OLD_DEAD_LETTER_QUEUE_KEY = 'errors.deadletterqueue.topic.name';

type Config = Readonly<{ [key: string]: unknown }>;
/** Configs already warned about the old dead-letter key: one warning per application, not per task. */
const warnedAboutOldKey = new WeakSet<Config>();

/**
 * The dead-letter-queue topic of a config, or undefined. Reads Kafka's key, or the old key with a
 * warning; both at once is refused, as they are one setting.
 * @throws StreamsError INVALID_CONFIG for a value that is not a topic name.
 */
export function deadLetterTopicOf(config: Config): string | undefined {
  const current = config[DEAD_LETTER_QUEUE_KEY];
  const old = config[OLD_DEAD_LETTER_QUEUE_KEY];
  if (current !== undefined && old !== undefined) {
    throw new StreamsError('INVALID_CONFIG', `"${OLD_DEAD_LETTER_QUEUE_KEY}" and "${DEAD_LETTER_QUEUE_KEY}" are the same setting; give only "${DEAD_LETTER_QUEUE_KEY}"`);
  }
  const key = current === undefined ? OLD_DEAD_LETTER_QUEUE_KEY : DEAD_LETTER_QUEUE_KEY;
  const topic = current ?? old;
  if (topic === undefined) return undefined;
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new StreamsError('INVALID_CONFIG', `"${key}" must be a topic name, got ${JSON.stringify(topic)}`);
  }
  if (key === OLD_DEAD_LETTER_QUEUE_KEY && !warnedAboutOldKey.has(config)) {
    warnedAboutOldKey.add(config);
    log.warn(`"${OLD_DEAD_LETTER_QUEUE_KEY}" is Kafka Connect's spelling; Kafka Streams reads "${DEAD_LETTER_QUEUE_KEY}": rename the key`);
  }
  return topic;
}

const where = (context: ErrorHandlerContext): string => (context.topic === undefined
  ? `in task ${context.taskId} (no input record)`
  : `at topic "${context.topic}" partition ${context.partition} offset ${context.offset}`);

/** The dead-letter records a built-in handler adds: one per error when a topic is configured. */
function deadLetters(topic: string | undefined, context: ErrorHandlerContext, error: Error) {
  return topic === undefined ? [] : [deadLetterQueueRecord(topic, context, error)];
}

/** Built-in behaviours: fail (the error surfaces through the uncaught exception handler) or log a warning and resume. */
function builtIn<R>(resume: boolean, describe: (context: ErrorHandlerContext, record: R, error: Error) => string, topic: string | undefined) {
  return (context: ErrorHandlerContext, record: R, error: Error): ExceptionHandlerResponse => {
    const records = deadLetters(topic, context, error);
    if (!resume) return ExceptionHandlerResponse.fail(records);
    log.warn(describe(context, record, error));
    return ExceptionHandlerResponse.resume(records);
  };
}

/** Kafka's class names (short or fully qualified) and kstreams' shortcuts, by whether they resume. */
function namesOf(failing: string, continuing: string): ReadonlyMap<string, boolean> {
  const pkg = 'org.apache.kafka.streams.errors.';
  return new Map([
    ['logAndFail', false], [failing, false], [pkg + failing, false],
    ['logAndContinue', true], [continuing, true], [pkg + continuing, true],
  ]);
}

const DESERIALIZATION_NAMES = namesOf('LogAndFailExceptionHandler', 'LogAndContinueExceptionHandler');
const PROCESSING_NAMES = namesOf('LogAndFailProcessingExceptionHandler', 'LogAndContinueProcessingExceptionHandler');
// Kafka has no continuing production handler; `logAndContinue` is kstreams' own.
const PRODUCTION_NAMES: ReadonlyMap<string, boolean> = new Map([
  ['logAndFail', false], ['DefaultProductionExceptionHandler', false], ['org.apache.kafka.streams.errors.DefaultProductionExceptionHandler', false],
  ['logAndContinue', true],
]);

/** The first of `keys` the config sets, with its value (the first key when none is set). */
function firstSet(config: Config, keys: readonly string[]): { key: string; value: unknown } {
  const key = keys.find((k) => config[k] !== undefined) ?? keys[0]!;
  return { key, value: config[key] };
}

function resolve<H>(config: Config, keys: readonly string[], names: ReadonlyMap<string, boolean>, make: (resume: boolean) => H): H {
  const { key, value } = firstSet(config, keys);
  if (value === undefined) return make(false);
  if (typeof value === 'function') return value as H;
  const resume = typeof value === 'string' ? names.get(value) : undefined;
  if (resume === undefined) {
    throw new StreamsError(
      'INVALID_CONFIG',
      `"${key}" must be a handler function or one of ${[...names.keys()].map((n) => `"${n}"`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return make(resume);
}

/**
 * The deserialization handler of a config: `deserialization.exception.handler` (Kafka 4.x) or
 * `default.deserialization.exception.handler`; logAndFail when neither is set.
 * @throws StreamsError INVALID_CONFIG for a value that is neither a function nor a known name.
 */
export function deserializationHandlerOf(config: Config, deadLetterTopic: string | undefined): DeserializationExceptionHandler {
  return resolve(config, ['deserialization.exception.handler', 'default.deserialization.exception.handler'], DESERIALIZATION_NAMES, (resume) =>
    builtIn<RawInputRecord>(resume, (context, _record, error) => `skipping a record that could not be deserialized ${where(context)}: ${error.message}`, deadLetterTopic));
}

/**
 * The processing handler of a config (`processing.exception.handler`); logAndFail when not set.
 * @throws StreamsError INVALID_CONFIG for a value that is neither a function nor a known name.
 */
export function processingHandlerOf(config: Config, deadLetterTopic: string | undefined): ProcessingExceptionHandler {
  return resolve(config, ['processing.exception.handler'], PROCESSING_NAMES, (resume) =>
    builtIn<Record<unknown, unknown> | null>(resume, (context, record, error) => (record === null
      ? `going on after a punctuator of processor "${context.processorNodeId}" in task ${context.taskId} failed: ${error.message}`
      : `skipping a record processor "${context.processorNodeId}" failed on ${where(context)}: ${error.message}`), deadLetterTopic));
}

/**
 * The production handler of a config: `production.exception.handler`, or Kafka's older key
 * `default.production.exception.handler`; logAndFail when neither is set.
 * @throws StreamsError INVALID_CONFIG for a value that is neither a function nor a known name.
 */
export function productionHandlerOf(config: Config, deadLetterTopic: string | undefined): ProductionExceptionHandler {
  return resolve(config, ['production.exception.handler', 'default.production.exception.handler'], PRODUCTION_NAMES, (resume) =>
    builtIn<ProductionErrorRecord>(resume, (_context, record, error) => `skipping a record for topic "${record.topic}": ${error.message}`, deadLetterTopic));
}
