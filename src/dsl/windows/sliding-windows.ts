import { toMillis } from '../../common/index.ts';
import type { DurationLike } from '../../common/index.ts';

/**
 * Windows that slide with the records (Kafka's SlidingWindows): two records fall in a common
 * window when their timestamps differ by at most `timeDifferenceMs`. Windows include both ends
 * (`[start, start + timeDifferenceMs]`) and exist only where records are: each record has a left
 * window ending at its timestamp and, when later records fall within the time difference, a
 * right window starting just after it.
 *
 * @example
 * grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace('PT10M', 'PT1M')).count();
 */
export class SlidingWindows {
  private constructor(
    readonly timeDifferenceMs: number,
    readonly graceMs: number,
  ) {}

  static ofTimeDifferenceWithNoGrace(timeDifference: DurationLike): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifference, 0);
  }

  static ofTimeDifferenceAndGrace(timeDifference: DurationLike, grace: DurationLike): SlidingWindows {
    return new SlidingWindows(toMillis(timeDifference, 'SlidingWindows time difference'), toMillis(grace, 'SlidingWindows grace'));
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
