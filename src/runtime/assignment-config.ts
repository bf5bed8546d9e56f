import { StreamsError } from '../common/index.ts';
import type { StreamsConfig } from './streams-config-shape.ts';

/**
 * The settings of Kafka Streams' high-availability assignment (KIP-441), validated as Kafka
 * validates them.
 *
 * - `acceptable.recovery.lag` (default 10000, >= 0): how many changelog records a member's copy of
 *   a task may lag and still take the task over (it restores the rest before processing).
 * - `max.warmup.replicas` (default 2, >= 1): warm-up copies — standbys beyond
 *   `num.standby.replicas` placed where a task should move — at once in the whole group.
 * - `probing.rebalance.interval.ms` (default 600000, >= 60000): while tasks wait for a warm-up to
 *   catch up, the group leader rebalances this often to move the ones that have.
 * - `internal.probing.rebalance.interval.ms`: kstreams' internal override of the probing interval
 *   without Kafka's minimum, for tests; not for production.
 *
 * @example
 * assignmentConfigOf({ 'acceptable.recovery.lag': 50_000 }); // { acceptableRecoveryLag: 50000, maxWarmupReplicas: 2, ... }
 */
export interface AssignmentConfig {
  readonly standbyReplicas: number;
  readonly acceptableRecoveryLag: number;
  readonly maxWarmupReplicas: number;
  readonly probingRebalanceIntervalMs: number;
}

/** The internal key that sets the probing interval below Kafka's minimum (tests only). */
export const INTERNAL_PROBING_INTERVAL_KEY = 'internal.probing.rebalance.interval.ms';

export function assignmentConfigOf(config: StreamsConfig): AssignmentConfig {
  const internalProbing = config[INTERNAL_PROBING_INTERVAL_KEY];
  return {
    standbyReplicas: wholeNumber(config, 'num.standby.replicas', 0, 0, 'use 0 for no standby copies'),
    acceptableRecoveryLag: wholeNumber(config, 'acceptable.recovery.lag', 10_000, 0, 'it counts changelog records'),
    maxWarmupReplicas: wholeNumber(config, 'max.warmup.replicas', 2, 1, 'Kafka Streams needs at least one warm-up copy to move stateful tasks without a restore'),
    probingRebalanceIntervalMs: internalProbing === undefined
      ? wholeNumber(config, 'probing.rebalance.interval.ms', 600_000, 60_000, 'Kafka Streams\' minimum is one minute')
      : wholeNumber(config, INTERNAL_PROBING_INTERVAL_KEY, 0, 1, 'it is milliseconds between probing rebalances'),
  };
}

function wholeNumber(config: StreamsConfig, key: string, fallback: number, min: number, hint: string): number {
  const raw = config[key] ?? fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new StreamsError('INVALID_CONFIG', `"${key}" must be a whole number >= ${min}, got ${JSON.stringify(raw)}; ${hint}`);
  }
  return value;
}
