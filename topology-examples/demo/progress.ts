/**
 * A progress line for long demo steps: redrawn in place on a terminal, printed every 25% when the
 * output is a file or a pipe (CI logs stay short).
 */
export class Progress {
  private done_ = 0;
  private lastQuarter = 0;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  advance(count: number): void {
    this.done_ += count;
    const percent = Math.floor((this.done_ * 100) / this.total);
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${this.label} ${formatCount(this.done_)} / ${formatCount(this.total)} (${percent}%)`);
    } else if (Math.floor(percent / 25) > this.lastQuarter && this.done_ < this.total) {
      this.lastQuarter = Math.floor(percent / 25);
      console.log(`${this.label} ${formatCount(this.done_)} / ${formatCount(this.total)} (${percent}%)`);
    }
  }

  /** Ends the line with the elapsed time and a summary such as a rate. */
  done(summary: string): void {
    const seconds = (performance.now() - this.started) / 1000;
    if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
    console.log(`${this.label} ${formatCount(this.done_)} in ${seconds.toFixed(2)} s (${summary})`);
  }
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Items per second, rounded to three significant figures: "183,000". */
export function formatRate(count: number, seconds: number): string {
  const rate = count / Math.max(seconds, 1e-9);
  return formatCount(Number(rate.toPrecision(3)));
}
