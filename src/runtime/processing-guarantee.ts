import { StreamsError } from '../common/index.ts';

/** The processing guarantees kstreams runs, named as in Kafka Streams 4.x. */
export type ProcessingGuarantee = 'at_least_once' | 'exactly_once_v2';

/** Kafka Streams' `commit.interval.ms` default under each guarantee. */
const DEFAULT_COMMIT_INTERVAL_MS: Readonly<Record<ProcessingGuarantee, number>> = { at_least_once: 30_000, exactly_once_v2: 100 };

/** Names Kafka Streams used before 4.0, and why they are refused. */
const RETIRED: ReadonlyMap<string, string> = new Map([
  ['exactly_once', 'Kafka Streams 4 removed it (one producer per task); use "exactly_once_v2" (one transactional producer per thread)'],
  ['exactly_once_beta', 'it is the old name of "exactly_once_v2", removed in Kafka Streams 4; use "exactly_once_v2"'],
]);

/**
 * Reads `processing.guarantee` (default `at_least_once`): `exactly_once_v2` commits each stream
 * thread's outputs, changelog writes and input offsets in one transaction; the names of older
 * Kafka Streams versions are refused with what to write instead.
 *
 * @example
 * processingGuaranteeOf({ 'processing.guarantee': 'exactly_once_v2' }) // 'exactly_once_v2'
 */
export function processingGuaranteeOf(config: { readonly [key: string]: unknown }): ProcessingGuarantee {
  const given = config['processing.guarantee'] ?? 'at_least_once';
  if (given === 'at_least_once' || given === 'exactly_once_v2') return given;
  const retired = typeof given === 'string' ? RETIRED.get(given) : undefined;
  throw new StreamsError('INVALID_CONFIG', retired === undefined
    ? `"processing.guarantee" must be "at_least_once" or "exactly_once_v2", got ${JSON.stringify(given)}`
    : `"processing.guarantee" ${JSON.stringify(given)} is not supported: ${retired}`);
}

/** `commit.interval.ms` when the config does not give it: 100 ms under exactly-once, 30 s otherwise (as Kafka Streams). */
export function defaultCommitIntervalMs(guarantee: ProcessingGuarantee): number {
  return DEFAULT_COMMIT_INTERVAL_MS[guarantee];
}
