export { Record, Record as StreamRecord } from './record.ts';
export type { Header } from './record.ts';
export { PunctuationType, supplyProcessor } from './api.ts';
export type {
  Punctuator, Cancellable, RecordMetadata, ProcessorContext, Processor, ProcessorSupplier,
  FixedKeyProcessor, FixedKeyProcessorContext, FixedKeyProcessorSupplier, TopicNameExtractor,
  StreamPartitioner, TimestampExtractor,
} from './api.ts';
export { TimestampExtractors } from './timestamp-extractors.ts';
export { DROPPED_RECORDS, countDroppedRecord } from './dropped-records.ts';
