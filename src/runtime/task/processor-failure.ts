import { describeLocation, isStreamsError, StreamsError } from '../../common/index.ts';
import type { TaskInternals } from './task-internals.ts';

/**
 * Wraps what a user processor threw into PROCESSOR_ERROR naming the processor, the task and the
 * input record. StreamsErrors pass through unchanged: they already carry a code and say where
 * they came from (a sink's serialization error, a processor deeper down the same call).
 */
export function processorFailure(task: TaskInternals, nodeName: string, phase: 'init' | 'process' | 'punctuate' | 'close', cause: unknown): Error {
  if (isStreamsError(cause)) return cause;
  const metadata = task.currentMetadata;
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
