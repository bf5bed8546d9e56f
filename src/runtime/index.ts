export { StreamTask } from './task/stream-task.ts';
export type { StreamTaskOptions } from './task/stream-task.ts';
export type { TaskTopology } from './task/task-topology.ts';
export type { RecordCollector, ProducedRecord } from './task/record-collector.ts';
export type { ConsumedRecord } from './task/consumed-record.ts';
export { isLegalTransition } from './task/task-state.ts';
export type { TaskState } from './task/task-state.ts';
export { changelogTopicFor } from './task/task-store-context.ts';
export { DEFAULT_CACHE_MAX_BYTES, applicationIdOf } from './task/task-config.ts';
