import { Duration } from 'luxon';
import { StreamsError } from './errors.ts';

/** A duration as users may write it: milliseconds, a luxon `Duration`, or an ISO-8601 string like `'PT5M'`. */
export type DurationLike = number | Duration | string;

/**
 * Converts a user-supplied duration to whole milliseconds.
 * @example toMillis('PT1M') === 60_000; toMillis(Duration.fromObject({ seconds: 5 })) === 5_000
 */
export function toMillis(d: DurationLike, what = 'duration'): number {
  let ms: number;
  if (typeof d === 'number') ms = d;
  else if (typeof d === 'string') {
    const parsed = Duration.fromISO(d);
    if (!parsed.isValid) {
      throw new StreamsError('INVALID_DURATION', `${what}: "${d}" is not an ISO-8601 duration; write e.g. "PT5M" or a number of milliseconds`);
    }
    ms = parsed.toMillis();
  } else if (Duration.isDuration(d)) {
    if (!d.isValid) throw new StreamsError('INVALID_DURATION', `${what}: invalid luxon Duration (${d.invalidReason ?? 'unknown reason'})`);
    ms = d.toMillis();
  } else {
    throw new StreamsError('INVALID_DURATION', `${what}: expected milliseconds, a luxon Duration or an ISO-8601 string, got ${typeof d}`);
  }
  if (!Number.isFinite(ms) || ms < 0) {
    throw new StreamsError('INVALID_DURATION', `${what}: must be a non-negative finite number of milliseconds, got ${ms}`);
  }
  return Math.floor(ms);
}
