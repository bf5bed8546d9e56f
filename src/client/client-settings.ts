import type { ConnectionOptions as TlsOptions } from 'node:tls';

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
  /**
   * The consumer's `group.instance.id` (static membership, KIP-345): a restart within
   * `session.timeout.ms` gets its previous assignment back with no rebalance, and close sends no LeaveGroup.
   */
  readonly groupInstanceId?: string;
}

/** Per client: the admin client, the producer and the (main) consumer. */
export interface ClientSettings {
  readonly admin: ClientOptions;
  readonly producer: ClientOptions;
  readonly consumer: ClientOptions;
  /** TLS and SASL of every client (Kafka applies `security.protocol`, `ssl.*` and `sasl.*` to all its clients). */
  readonly security?: ClientSecurity;
}

export const NO_CLIENT_SETTINGS: ClientSettings = { admin: {}, producer: {}, consumer: {} };

/**
 * How the clients secure their connections, from Kafka's `security.protocol`, `ssl.*` and `sasl.*`
 * keys (see `securityOf`): TLS options for node:tls, and the SASL mechanism with its credentials.
 */
export interface ClientSecurity {
  /** Kafka's `security.protocol`, for messages. */
  readonly protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  readonly tls?: TlsOptions;
  readonly sasl?: SaslCredentials;
}

/** A SASL mechanism and what it authenticates with. */
export interface SaslCredentials {
  readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER';
  readonly username?: string;
  readonly password?: string;
  /** OAUTHBEARER: the token, or a function that fetches a fresh one for each connection. */
  readonly token?: string | (() => string | Promise<string>);
}
