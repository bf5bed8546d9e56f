/**
 * Byte positions of Kafka's record batch v2 header (all big-endian). `batchLength` counts the
 * bytes after itself; the CRC-32C covers everything from `attributes` to the end of the batch.
 * `baseOffset` and `partitionLeaderEpoch` sit outside the CRC, so a log can assign offsets by
 * rewriting `baseOffset` without re-encoding.
 */
export const BatchLayout = {
  BASE_OFFSET: 0,
  BATCH_LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORD_COUNT: 57,
  /** Size of the header; records follow. */
  HEADER_SIZE: 61,
  /** Bytes before the batchLength field's count starts (baseOffset + batchLength). */
  LOG_OVERHEAD: 12,
} as const;

/** The only record batch format kstreams reads and writes. */
export const CURRENT_MAGIC = 2;

/** Attribute bits. */
export const Attributes = {
  COMPRESSION_MASK: 0x07,
  TIMESTAMP_TYPE_LOG_APPEND: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
} as const;

/** Kafka's compression codec ids, for error messages. */
export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
