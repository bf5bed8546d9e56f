/** What the hot path records into: one value at a time, with the current time. */
export interface Recorder {
  record(value: number, nowMs: number): void;
}

/** How Kafka samples windowed statistics: `metrics.sample.window.ms` × `metrics.num.samples`. */
export interface SampleConfig {
  readonly windowMs: number;
  readonly samples: number;
}

/**
 * The statistics of one sensor, as Kafka's sampled stats keep them: `samples` windows of
 * `windowMs`, each with the count, sum, min and max of the values recorded in it, plus the
 * cumulative count and sum. `record()` is the hot path: it touches only plain fields of the
 * current window (a comparison and a few additions, no allocation); a window that ends moves into
 * a small ring of older ones. Rates, averages and extremes are computed when read, over the
 * windows not yet older than `samples × windowMs`.
 */
export class SampledStats implements Recorder {
  /** Values recorded since creation (Kafka's CumulativeCount). */
  count = 0;
  /** Sum of the values recorded since creation (Kafka's CumulativeSum). */
  sum = 0;
  // The current window.
  private start: number;
  private windowCount = 0;
  private windowSum = 0;
  private windowMin = Infinity;
  private windowMax = -Infinity;
  // The older windows, a ring of `samples - 1`.
  private readonly older: Array<{ start: number; count: number; sum: number; min: number; max: number }>;
  private next = 0;
  private readonly windowMs: number;

  constructor(config: SampleConfig, nowMs: number) {
    this.windowMs = config.windowMs;
    this.start = nowMs;
    this.older = Array.from({ length: Math.max(config.samples, 1) - 1 }, () => ({ start: nowMs, count: 0, sum: 0, min: Infinity, max: -Infinity }));
  }

  /** Records one value at `nowMs`. */
  record(value: number, nowMs: number): void {
    if (nowMs - this.start >= this.windowMs) this.advance(nowMs);
    this.windowCount++;
    this.windowSum += value;
    if (value < this.windowMin) this.windowMin = value;
    if (value > this.windowMax) this.windowMax = value;
    this.count++;
    this.sum += value;
  }

  /** Recorded values per second over the live windows (Kafka's Rate of a WindowedCount). */
  countRate(nowMs: number): number {
    return this.combine(nowMs).count / this.elapsedSeconds(nowMs);
  }

  /** Sum of recorded values per second over the live windows (Kafka's Rate of a WindowedSum). */
  sumRate(nowMs: number): number {
    return this.combine(nowMs).sum / this.elapsedSeconds(nowMs);
  }

  /** Average of the values in the live windows; NaN when there are none. */
  avg(nowMs: number): number {
    const { count, sum } = this.combine(nowMs);
    return count === 0 ? NaN : sum / count;
  }

  /** Largest value in the live windows; NaN when there are none. */
  max(nowMs: number): number {
    const { count, max } = this.combine(nowMs);
    return count === 0 ? NaN : max;
  }

  /** Smallest value in the live windows; NaN when there are none. */
  min(nowMs: number): number {
    const { count, min } = this.combine(nowMs);
    return count === 0 ? NaN : min;
  }

  /** Ends the current window: it replaces the oldest of the older ones, and a new one starts now. */
  private advance(nowMs: number): void {
    if (this.older.length > 0) {
      const slot = this.older[this.next]!;
      slot.start = this.start;
      slot.count = this.windowCount;
      slot.sum = this.windowSum;
      slot.min = this.windowMin;
      slot.max = this.windowMax;
      this.next = (this.next + 1) % this.older.length;
    }
    this.start = nowMs;
    this.windowCount = 0;
    this.windowSum = 0;
    this.windowMin = Infinity;
    this.windowMax = -Infinity;
  }

  /** The windows younger than samples × window, combined (older ones no longer count). */
  private combine(nowMs: number): { count: number; sum: number; min: number; max: number } {
    const expireAfter = (this.older.length + 1) * this.windowMs;
    const live = nowMs - this.start < expireAfter;
    let count = live ? this.windowCount : 0;
    let sum = live ? this.windowSum : 0;
    let min = live ? this.windowMin : Infinity;
    let max = live ? this.windowMax : -Infinity;
    for (const window of this.older) {
      if (window.count === 0 || nowMs - window.start >= expireAfter) continue;
      count += window.count;
      sum += window.sum;
      min = Math.min(min, window.min);
      max = Math.max(max, window.max);
    }
    return { count, sum, min, max };
  }

  /**
   * The time the live windows span, in seconds: from the oldest live window's start to now, and
   * never less than `samples - 1` full windows, so a rate right after start is not inflated (as
   * Kafka's Rate).
   */
  private elapsedSeconds(nowMs: number): number {
    const windowMs = this.windowMs;
    const expireAfter = (this.older.length + 1) * windowMs;
    let oldest = nowMs - this.start < expireAfter ? this.start : nowMs;
    for (const window of this.older) {
      if (nowMs - window.start < expireAfter) oldest = Math.min(oldest, window.start);
    }
    let elapsed = nowMs - oldest;
    const fullWindows = Math.floor(elapsed / windowMs);
    const minFullWindows = this.older.length;
    if (fullWindows < minFullWindows) elapsed += (minFullWindows - fullWindows) * windowMs;
    return Math.max(elapsed, 1) / 1000;
  }
}
