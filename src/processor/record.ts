/** A record header: a string key and a bytes value (or null), kept in order as Kafka keeps them. */
export interface Header {
  readonly key: string;
  readonly value: Buffer | null;
}

/**
 * The record a processor receives and forwards: key, value, timestamp (ms) and headers. Immutable;
 * the `with*` methods return a copy so one record can be forwarded to several children safely.
 * Exported as `Record` and, for files that need TypeScript's built-in `Record`, as `StreamRecord`.
 *
 * @example
 * context.forward(record.withValue(record.value.toUpperCase()));
 */
export class Record<K, V> {
  constructor(
    readonly key: K,
    readonly value: V,
    readonly timestamp: number,
    readonly headers: readonly Header[] = [],
  ) {}

  withKey<NK>(key: NK): Record<NK, V> {
    return new Record(key, this.value, this.timestamp, this.headers);
  }

  withValue<NV>(value: NV): Record<K, NV> {
    return new Record(this.key, value, this.timestamp, this.headers);
  }

  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.key, this.value, timestamp, this.headers);
  }

  withHeaders(headers: readonly Header[]): Record<K, V> {
    return new Record(this.key, this.value, this.timestamp, headers);
  }
}
