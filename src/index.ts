/**
 * kstreams: stream processing for TypeScript, after Apache Kafka Streams, with an embedded log
 * engine. This is the package root (`import { ... } from 'kstreams'`); the test driver lives in
 * `kstreams/testing`.
 */
export { StreamsError, isStreamsError, ManualClock, systemClock, setLogLevel, setLogSink, useLogger, murmur2, partitionForKey } from './common/index.ts';
export type { StructuredLogger } from './common/index.ts';
export type { StreamsErrorCode, ErrorLocation, Clock, LogLevel, LogSink, DurationLike } from './common/index.ts';

export { Serdes, WindowedSerdes, windowed } from './serde/index.ts';
export type { Serde, SerdeType, JsonSerdeOptions, AvroSchema, AvroSerdeOptions, Window, Windowed } from './serde/index.ts';
export type { AvroRegistrySerdeOptions, JsonSchemaRegistrySerdeOptions, RegistrySerde, RegistrySerdeOptions, SchemaRegistryConfig, SubjectNameStrategy } from './serde/index.ts';

export { LogEngine } from './log/index.ts';
export { KafkaBroker } from './broker/index.ts';
export type { KafkaBrokerOptions } from './broker/index.ts';
export { readUsersFile } from './broker/index.ts';
export type { BrokerTlsOptions, BrokerUsers, SaslMechanism, SaslServerConfig } from './broker/index.ts';
export type {
  LogEngineOptions, ProduceRecord, ProduceAck, ProducedRange, FetchOptions, PartitionDescription, TopicConfig, TopicConfigInput,
  CommittedOffset, TopicPartitionOffset, CompactionResult,
} from './log/index.ts';
export type {
  ProduceOptions, IsolationLevel, ProducerIdentity, TransactionalProducer, AbortedTransaction, TransactionState, TransactionDescription,
} from './log/index.ts';
export type { LogRecord, StoredRecord, RecordHeader } from './record/index.ts';

export { Record, StreamRecord, PunctuationType, TimestampExtractors } from './processor/index.ts';
export type {
  Header, Punctuator, Cancellable, RecordMetadata, ProcessorContext, Processor, ProcessorSupplier, FixedKeyProcessor,
  FixedKeyProcessorContext, FixedKeyProcessorSupplier, TopicNameExtractor, StreamPartitioner, TimestampExtractor,
} from './processor/index.ts';

export { Stores } from './state/index.ts';
export type {
  KeyValue, KeyValueIterator, StateStore, ReadOnlyKeyValueStore, KeyValueStore, ValueAndTimestamp,
  TimestampedKeyValueStore, KeyValueBytesStoreSupplier, StoreBuilder, WindowStoreIterator, ReadOnlyWindowStore, WindowStore,
  TimestampedWindowStore, ReadOnlySessionStore, SessionStore, WindowBytesStoreSupplier, SessionBytesStoreSupplier,
} from './state/index.ts';

export { Topology } from './topology/index.ts';
export type { SourceOptions, SinkOptions, GlobalStoreOptions } from './topology/index.ts';

export {
  StreamsBuilder, KStream, KTable, KGroupedStream, KGroupedTable, BranchedKStream, Branched, Consumed, Produced, Grouped,
  Materialized, Repartitioned, Named, TimeWindowedKStream, SessionWindowedKStream, TimeWindows, SlidingWindows, SessionWindows,
  JoinWindows, EmitStrategy, droppedLateRecords, Suppressed, BufferConfig, Joined, StreamJoined,
  CogroupedKStream, TimeWindowedCogroupedKStream, SessionWindowedCogroupedKStream,
} from './dsl/index.ts';
export type { GlobalKTable, Change, Initializer, Aggregator, Reducer, KeyValuePair, Predicate, Merger, ValueJoiner } from './dsl/index.ts';

export { KafkaStreams, readStreamsProperties } from './runtime/index.ts';
export type { KafkaStreamsState, KafkaStreamsOptions, UncaughtExceptionResponse, StreamsConfig, StoreRestoreProgress, KafkaStreamsHttpOptions } from './runtime/index.ts';
export { ExceptionHandlerResponse, deadLetterQueueRecord, DEAD_LETTER_QUEUE_HEADERS } from './runtime/index.ts';
export type {
  ErrorHandlerContext, DeadLetterQueueRecord, ExceptionHandlerResult, RawInputRecord, ProductionErrorRecord, SerializationExceptionOrigin,
  DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler,
} from './runtime/index.ts';
export { startHttpEndpoint, HttpEndpoint, sendJson, sendText } from './http/index.ts';
export { PrometheusExporter, prometheusName } from './metrics/index.ts';
export type { Metric, MetricName, RecordingLevel, StreamsMetric } from './metrics/index.ts';
export type { HttpRoute, RouteMatch, StartHttpEndpointOptions, StartedHttpEndpoint } from './http/index.ts';

export {
  StoreQueryParameters, QueryableStoreTypes, CompositeReadOnlyKeyValueStore, CompositeReadOnlyWindowStore, CompositeReadOnlySessionStore,
  UNAVAILABLE_HOST, KEY_QUERY_METADATA_NOT_AVAILABLE, parseHostInfo,
} from './query/index.ts';
export type { QueryableStoreType, HostInfo, KeyQueryMetadata, StreamsMetadata, TopicPartition, KeySerializer } from './query/index.ts';
