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
 * The statistics of one sensor, as Kafka's sampled stats keep them: a ring of `samples` windows of
 * `windowMs`, each with the count, sum, min and max of the values recorded in it, plus the
 * cumulative count and sum. `record()` is the hot path: a comparison and a few additions, no
 * allocation. Rates, averages and extremes are computed when read, over the windows not yet
 * older than `samples × windowMs`.
 */
export class SampledStats implements Recorder {
  /** Values recorded since creation (Kafka's CumulativeCount). */
  count = 0;
  /** Sum of the values recorded since creation (Kafka's CumulativeSum). */
  sum = 0;
  private readonly starts: number[];
  private readonly counts: number[];
  private readonly sums: number[];
  private readonly mins: number[];
  private readonly maxes: number[];
  private current = 0;

  constructor(private readonly config: SampleConfig, nowMs: number) {
    const n = Math.max(config.samples, 1);
    this.starts = new Array<number>(n).fill(nowMs);
    this.counts = new Array<number>(n).fill(0);
    this.sums = new Array<number>(n).fill(0);
    this.mins = new Array<number>(n).fill(Infinity);
    this.maxes = new Array<number>(n).fill(-Infinity);
  }

  /** Records one value at `nowMs`. */
  record(value: number, nowMs: number): void {
    let i = this.current;
    if (nowMs - this.starts[i]! >= this.config.windowMs) i = this.advance(nowMs);
    this.counts[i]!++;
    this.sums[i]! += value;
    if (value < this.mins[i]!) this.mins[i] = value;
    if (value > this.maxes[i]!) this.maxes[i] = value;
    this.count++;
    this.sum += value;
  }

  /** Recorded values per second over the live windows (Kafka's Rate of a WindowedCount). */
  countRate(nowMs: number): number {
    return this.live(nowMs, this.counts, 0, (a, b) => a + b) / this.elapsedSeconds(nowMs);
  }

  /** Sum of recorded values per second over the live windows (Kafka's Rate of a WindowedSum). */
  sumRate(nowMs: number): number {
    return this.live(nowMs, this.sums, 0, (a, b) => a + b) / this.elapsedSeconds(nowMs);
  }

  /** Average of the values in the live windows; NaN when there are none. */
  avg(nowMs: number): number {
    const count = this.live(nowMs, this.counts, 0, (a, b) => a + b);
    return count === 0 ? NaN : this.live(nowMs, this.sums, 0, (a, b) => a + b) / count;
  }

  /** Largest value in the live windows; NaN when there are none. */
  max(nowMs: number): number {
    const max = this.live(nowMs, this.maxes, -Infinity, Math.max);
    return max === -Infinity ? NaN : max;
  }

  /** Smallest value in the live windows; NaN when there are none. */
  min(nowMs: number): number {
    const min = this.live(nowMs, this.mins, Infinity, Math.min);
    return min === Infinity ? NaN : min;
  }

  private advance(nowMs: number): number {
    const i = (this.current + 1) % this.starts.length;
    this.reset(i, nowMs);
    this.current = i;
    return i;
  }

  private reset(i: number, nowMs: number): void {
    this.starts[i] = nowMs;
    this.counts[i] = 0;
    this.sums[i] = 0;
    this.mins[i] = Infinity;
    this.maxes[i] = -Infinity;
  }

  /** Combines one column over the windows younger than samples × window (older ones are reset). */
  private live(nowMs: number, column: number[], initial: number, combine: (a: number, b: number) => number): number {
    const expireAfter = this.starts.length * this.config.windowMs;
    let result = initial;
    for (let i = 0; i < this.starts.length; i++) {
      if (nowMs - this.starts[i]! >= expireAfter) this.reset(i, nowMs);
      if (this.counts[i]! > 0) result = combine(result, column[i]!);
    }
    return result;
  }

  /**
   * The time the live windows span, in seconds: from the oldest window's start to now, and never
   * less than `samples - 1` full windows, so a rate right after start is not inflated (as Kafka's Rate).
   */
  private elapsedSeconds(nowMs: number): number {
    let oldest = nowMs;
    for (const start of this.starts) oldest = Math.min(oldest, start);
    const windowMs = this.config.windowMs;
    let elapsed = nowMs - oldest;
    const fullWindows = Math.floor(elapsed / windowMs);
    const minFullWindows = this.starts.length - 1;
    if (fullWindows < minFullWindows) elapsed += (minFullWindows - fullWindows) * windowMs;
    return Math.max(elapsed, 1) / 1000;
  }
}
