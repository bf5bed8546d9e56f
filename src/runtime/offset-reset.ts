import { StreamsError } from '../common/index.ts';
import type { Cluster, IsolationLevel } from '../client/index.ts';
import type { OffsetReset } from '../topology/index.ts';
import type { StreamsConfig } from './streams-config-shape.ts';

/**
 * Kafka's `auto.offset.reset`: where a source partition starts when the group has no committed
 * offset for it, or when its position fell out of the log (retention or DeleteRecords removed the
 * records not yet read). `none` refuses to guess and fails the instance.
 */
export type AutoOffsetReset = OffsetReset | 'none';

const POLICIES: ReadonlySet<string> = new Set(['earliest', 'latest', 'none']);

/** The keys Kafka Streams reads the main consumer's reset policy from, the most specific first. */
const RESET_KEYS = ['main.consumer.auto.offset.reset', 'consumer.auto.offset.reset', 'auto.offset.reset'] as const;

/** Whether `key` is one of the keys `autoOffsetResetOf` reads (so it is not reported as ignored). */
export function isOffsetResetKey(key: string): boolean {
  return (RESET_KEYS as readonly string[]).includes(key);
}

/**
 * The configured reset policy; Kafka Streams overrides the consumer's default to `earliest`, so an
 * application reads its input from the start the first time it runs.
 */
export function autoOffsetResetOf(config: StreamsConfig): AutoOffsetReset {
  const key = RESET_KEYS.find((k) => config[k] !== undefined);
  if (key === undefined) return 'earliest';
  const value = config[key];
  if (typeof value !== 'string' || !POLICIES.has(value)) {
    throw new StreamsError('INVALID_CONFIG', `"${key}" must be "earliest", "latest" or "none", got ${JSON.stringify(value)}`);
  }
  return value as AutoOffsetReset;
}

/** Why a source partition's position is being reset, for the log line and the error of `none`. */
export type ResetReason = 'no committed offset' | 'out of range';

/**
 * The position a source partition resets to under `policy` (a source's own
 * `Consumed.withOffsetResetPolicy` before the configured one, as Kafka Streams decides).
 * @throws StreamsError OFFSET_OUT_OF_RANGE under `none`, naming the partition and both ways out.
 */
export async function resetPosition(
  cluster: Cluster, topic: string, partition: number, policy: AutoOffsetReset, reason: ResetReason, isolation: IsolationLevel | undefined,
): Promise<number> {
  if (policy === 'none') {
    const what = reason === 'no committed offset' ? 'has no committed offset' : 'was read past the records the log still holds';
    throw new StreamsError('OFFSET_OUT_OF_RANGE',
      `input topic "${topic}" partition ${partition} ${what}, and "auto.offset.reset" is "none"; set "auto.offset.reset" to "earliest" or "latest", ` +
      'or give the source its own policy with Consumed.withOffsetResetPolicy', { location: { topic, partition } });
  }
  const { earliest, latest } = await cluster.offsets(topic, partition, isolation);
  return policy === 'earliest' ? earliest : latest;
}
