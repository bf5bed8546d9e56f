export { StreamTask } from './task/stream-task.ts';
export type { StreamTaskOptions } from './task/stream-task.ts';
export type { TaskTopology } from './task/task-topology.ts';
export type { RecordCollector, ProducedRecord } from './task/record-collector.ts';
export type { ConsumedRecord } from './task/consumed-record.ts';
export { isLegalTransition } from './task/task-state.ts';
export type { TaskState } from './task/task-state.ts';
export { changelogTopicFor } from './task/task-store-context.ts';
export { DEFAULT_CACHE_MAX_BYTES, applicationIdOf } from './task/task-config.ts';
export { inOrder, andThen, repeatWhile } from './maybe-async.ts';
export { planTasks } from './task-plan.ts';
export type { TaskPlan } from './task-plan.ts';
export { KafkaStreams } from './kafka-streams.ts';
export type { KafkaStreamsState, KafkaStreamsOptions, UncaughtExceptionResponse } from './kafka-streams.ts';
export type { LocalThreadMetadata } from './stream-threads.ts';
export type { StreamsConfig } from './streams-config-shape.ts';
export type { StoreRestoreProgress } from './restore-progress.ts';
export { TaskMetrics } from './task/task-metrics.ts';
export { parseJavaProperties, readStreamsProperties } from './properties-file.ts';
export { ExceptionHandlerResponse } from './task/exception-handler-types.ts';
export type {
  ErrorHandlerContext, DeadLetterQueueRecord, ExceptionHandlerResult, RawInputRecord, ProductionErrorRecord, SerializationExceptionOrigin,
  DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler,
} from './task/exception-handler-types.ts';
export { deadLetterQueueRecord, DEAD_LETTER_QUEUE_HEADERS } from './task/dead-letter-queue.ts';
export { registerHttpEndpointStarter } from './http-endpoint-hook.ts';
export type { KafkaStreamsHttpOptions } from './http-endpoint-hook.ts';
export { importUserModule } from './user-module.ts';
