import { StreamsError, toMillis } from '../../common/index.ts';
import type { DurationLike } from '../../common/index.ts';

/**
 * How far apart in time two records of a stream-stream join may be (Kafka's JoinWindows): a record
 * at time t of this stream joins records of the other stream timestamped within
 * `[t - beforeMs, t + afterMs]`. Symmetric by default; `before` and `after` make it one-sided.
 * Records later than the grace period after the window are dropped, and left/outer joins emit a
 * record without a partner only once its window and grace have passed.
 *
 * @example
 * orders.join(payments, joiner, JoinWindows.ofTimeDifferenceAndGrace('PT10M', 'PT1M'));
 */
export class JoinWindows {
  private constructor(
    readonly beforeMs: number,
    readonly afterMs: number,
    readonly graceMs: number,
  ) {}

  static ofTimeDifferenceWithNoGrace(timeDifference: DurationLike): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifference, 0);
  }

  static ofTimeDifferenceAndGrace(timeDifference: DurationLike, grace: DurationLike): JoinWindows {
    const difference = toMillis(timeDifference, 'JoinWindows time difference');
    return new JoinWindows(difference, difference, toMillis(grace, 'JoinWindows grace'));
  }

  /** Changes how much earlier the other stream's records may be. `before + after` must not be negative. */
  before(timeDifference: number): JoinWindows {
    return JoinWindows.checked(timeDifference, this.afterMs, this.graceMs);
  }

  /** Changes how much later the other stream's records may be. */
  after(timeDifference: number): JoinWindows {
    return JoinWindows.checked(this.beforeMs, timeDifference, this.graceMs);
  }

  /** The window length, `before + after`. */
  size(): number {
    return this.beforeMs + this.afterMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }

  private static checked(beforeMs: number, afterMs: number, graceMs: number): JoinWindows {
    if (!Number.isSafeInteger(beforeMs) || !Number.isSafeInteger(afterMs) || beforeMs + afterMs < 0) {
      throw new StreamsError('INVALID_ARGUMENT', `JoinWindows: before (${beforeMs} ms) + after (${afterMs} ms) must be a whole number of ms, not negative`);
    }
    return new JoinWindows(beforeMs, afterMs, graceMs);
  }
}
