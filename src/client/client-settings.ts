/**
 * Settings of the Kafka clients behind `KafkaCluster`, in @platformatic/kafka's names. The runtime
 * fills them from Kafka's config keys (`request.timeout.ms`, `producer.compression.type`, ...).
 */
export interface ClientOptions {
  readonly requestTimeout?: number;
  readonly connectTimeout?: number;
  readonly retries?: number;
  readonly retryDelay?: number;
  readonly metadataMaxAge?: number;
  readonly maxInflights?: number;
  readonly compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
}

/** Per client: the admin client, the producer and the (main) consumer. */
export interface ClientSettings {
  readonly admin: ClientOptions;
  readonly producer: ClientOptions;
  readonly consumer: ClientOptions;
}

export const NO_CLIENT_SETTINGS: ClientSettings = { admin: {}, producer: {}, consumer: {} };
