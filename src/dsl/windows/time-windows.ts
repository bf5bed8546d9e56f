import { StreamsError, toMillis } from '../../common/index.ts';
import type { DurationLike } from '../../common/index.ts';

/** A window `[start, end)` a record falls into. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * Fixed-size windows aligned to the epoch (Kafka's TimeWindows): tumbling when the advance equals
 * the size, hopping (overlapping) when it is smaller. A window is `[start, end)`; starts are
 * multiples of the advance and never negative. A record whose window has closed — stream time has
 * reached the window end plus the grace period — is dropped.
 *
 * @example
 * TimeWindows.ofSizeWithNoGrace('PT5M');                      // tumbling 5-minute windows
 * TimeWindows.ofSizeAndGrace('PT5M', 'PT1M').advanceBy('PT1M'); // hopping, one minute late data allowed
 */
export class TimeWindows {
  private constructor(
    /** Window length in ms. */
    readonly sizeMs: number,
    /** Distance between window starts in ms. */
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {}

  /** Tumbling windows of `size` that accept no late records. */
  static ofSizeWithNoGrace(size: DurationLike): TimeWindows {
    return TimeWindows.ofSizeAndGrace(size, 0);
  }

  /** Tumbling windows of `size` that still accept records up to `grace` after they end. */
  static ofSizeAndGrace(size: DurationLike, grace: DurationLike): TimeWindows {
    const sizeMs = toMillis(size, 'TimeWindows size');
    if (sizeMs <= 0) throw new StreamsError('INVALID_ARGUMENT', 'TimeWindows size must be positive; give e.g. TimeWindows.ofSizeWithNoGrace(60_000)');
    return new TimeWindows(sizeMs, sizeMs, toMillis(grace, 'TimeWindows grace'));
  }

  /** Hopping windows: a new window every `advance` (0 < advance <= size). */
  advanceBy(advance: DurationLike): TimeWindows {
    const advanceMs = toMillis(advance, 'TimeWindows advance');
    if (advanceMs <= 0 || advanceMs > this.sizeMs) {
      throw new StreamsError('INVALID_ARGUMENT', `TimeWindows advance must be positive and at most the window size (${this.sizeMs} ms), got ${advanceMs} ms`);
    }
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  /** The windows containing `timestamp`, oldest first. */
  windowsFor(timestamp: number): TimeWindow[] {
    const windows: TimeWindow[] = [];
    let start = Math.floor(Math.max(0, timestamp - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
    for (; start <= timestamp; start += this.advanceMs) windows.push({ start, end: start + this.sizeMs });
    return windows;
  }

  size(): number {
    return this.sizeMs;
  }

  gracePeriodMs(): number {
    return this.graceMs;
  }
}
