/**
 * A streams application's config: Kafka Streams' key names as strings. In a file of its own so the
 * public type declarations that name it do not reach the Kafka client's types (an optional peer).
 */
export type StreamsConfig = Readonly<{ [key: string]: unknown }>;
