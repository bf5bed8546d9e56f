/**
 * A window of time. Time windows (tumbling, hopping) are `[start, end)`; session windows are
 * `[start, end]`, both ends being timestamps of records in the session.
 */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/**
 * A key of a windowed aggregation: the record key plus the window it was counted in.
 * `toString()` gives Kafka's `[key@start/end]`.
 */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
  toString(): string;
}

/**
 * Makes a `Windowed` key.
 *
 * @example
 * String(windowed('alice', 0, 60_000)); // '[alice@0/60000]'
 */
export function windowed<K>(key: K, start: number, end: number): Windowed<K> {
  return new WindowedKey(key, { start, end });
}

class WindowedKey<K> implements Windowed<K> {
  constructor(
    readonly key: K,
    readonly window: Window,
  ) {}

  toString(): string {
    return `[${String(this.key)}@${this.window.start}/${this.window.end}]`;
  }
}
