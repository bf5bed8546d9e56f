import { StreamsError } from '../common/index.ts';

/** The Kafka client's module: loaded on the first connection to a Kafka-protocol cluster. */
export type KafkaClientModule = typeof import('@platformatic/kafka');

let loading: Promise<KafkaClientModule> | undefined;

/**
 * Loads @platformatic/kafka, an optional peer dependency: only applications that run against a
 * Kafka-protocol cluster (`bootstrap.servers`) need it, so an install for the embedded engine
 * stays small and free of its Node engine warnings. When it is missing the error says how to add it.
 */
export function loadKafkaClient(): Promise<KafkaClientModule> {
  loading ??= import('@platformatic/kafka').catch((cause: unknown) => {
    loading = undefined;
    const missing = (cause as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    throw new StreamsError('INVALID_CONFIG', missing
      ? 'running against a Kafka cluster ("bootstrap.servers") needs the Kafka client package: npm install @platformatic/kafka'
      : `could not load @platformatic/kafka: ${(cause as Error).message}`, { cause });
  });
  return loading;
}
