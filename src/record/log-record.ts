/** A header of a record: a string key and a bytes value (null allowed), as Kafka has them. */
export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** A record to append: key and value are bytes or null; the timestamp is in ms. */
export interface LogRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: readonly RecordHeader[];
}

/** A record read back from a log, with the offset it was stored at. */
export interface StoredRecord extends LogRecord {
  readonly offset: number;
}
