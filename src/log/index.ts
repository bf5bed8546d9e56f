export { LogEngine } from './log-engine.ts';
export type { LogEngineOptions, ProduceRecord, ProduceAck, ProducedRange, ProduceOptions, FetchOptions, PartitionDescription } from './log-engine.ts';
export type {
  IsolationLevel, ProducerIdentity, TransactionalProducer, AbortedTransaction, TransactionState, TransactionDescription, TopicPartition,
} from './txn/types.ts';
export { encodeMarkerBatch, decodeMarkerKey } from './txn/control-record.ts';
export { visibleRecords } from './txn/isolated-read.ts';
export { validateTopicName, MAX_TOPIC_NAME_LENGTH } from './topic-name.ts';
export { parseTopicConfig, toConfigEntries, DEFAULT_TOPIC_CONFIG } from './topic-config.ts';
export type { TopicConfig, TopicConfigInput } from './topic-config.ts';
export type { CommittedOffset, TopicPartitionOffset } from './group-offsets.ts';
export type { CompactionResult } from './compaction.ts';
export { planRetention } from './retention.ts';
export type { SegmentSummary } from './retention.ts';
export { compactRecords, latestOffsetByKey } from './compaction.ts';
