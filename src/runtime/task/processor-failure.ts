import { describeLocation, isStreamsError, StreamsError } from '../../common/index.ts';
import type { TaskInternals } from './task-internals.ts';

/**
 * Wraps what a user processor threw into PROCESSOR_ERROR naming the processor, the task and the
 * input record. StreamsErrors pass through unchanged: they already carry a code and say where
 * they came from (a sink's serialization error, a processor deeper down the same call) — except a
 * state store's serialization error, which knows its changelog topic but not the input record:
 * it gets the input record's topic, partition and offset.
 */
export function processorFailure(task: TaskInternals, nodeName: string, phase: 'init' | 'process' | 'punctuate' | 'close', cause: unknown): Error {
  const metadata = task.currentMetadata;
  if (isStreamsError(cause, 'SERIALIZATION_ERROR') && cause.location?.offset === undefined && metadata !== undefined) {
    // A store's serde refused what the processor wrote: name the input record it came from.
    return new StreamsError(
      'SERIALIZATION_ERROR',
      `processor "${nodeName}" in task ${task.taskId} wrote a value its state store cannot serialize while processing the record at ${describeLocation(metadata)}: ` +
        `${cause.message}; fix the store's serde or the processor, or set production.exception.handler to logAndContinue to skip such records`,
      { cause, location: { ...metadata } },
    );
  }
  if (isStreamsError(cause)) return cause;
  const where = metadata === undefined
    ? `(no input record: ${phase === 'punctuate' ? `punctuation at ${task.currentTimestamp}` : phase})`
    : `while processing the record at ${describeLocation(metadata)}`;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StreamsError(
    'PROCESSOR_ERROR',
    `processor "${nodeName}" in task ${task.taskId} failed in ${phase} ${where}: ${reason}`,
    { cause, ...(metadata === undefined ? {} : { location: { ...metadata } }) },
  );
}
