import { StreamsError, toMillis } from '../../common/index.ts';
import type { DurationLike } from '../../common/index.ts';

/**
 * Sessions of activity per key (Kafka's SessionWindows): records closer than the inactivity gap
 * belong to one session, and a record that bridges two sessions merges them. A session is
 * `[first record time, last record time]`; it closes when stream time passes its end plus the
 * grace period.
 *
 * @example
 * clicks.groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace('PT30M')).count();
 */
export class SessionWindows {
  private constructor(
    readonly inactivityGapMs: number,
    readonly graceMs: number,
  ) {}

  static ofInactivityGapWithNoGrace(inactivityGap: DurationLike): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGap, 0);
  }

  static ofInactivityGapAndGrace(inactivityGap: DurationLike, grace: DurationLike): SessionWindows {
    const gap = toMillis(inactivityGap, 'SessionWindows inactivity gap');
    if (gap <= 0) throw new StreamsError('INVALID_ARGUMENT', 'SessionWindows inactivity gap must be positive; give e.g. SessionWindows.ofInactivityGapWithNoGrace(60_000)');
    return new SessionWindows(gap, toMillis(grace, 'SessionWindows grace'));
  }

  inactivityGap(): number {
    return this.inactivityGapMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
