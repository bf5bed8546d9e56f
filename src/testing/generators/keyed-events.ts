import fc from 'fast-check';
import { StreamsError } from '../../common/index.ts';
import type { InputRecord } from './input-record.ts';

/** How a keyed event stream is shaped. Everything but `topic`, `keys` and `values` has a default. */
export interface KeyedEventsOptions<K, V> {
  readonly topic: string;
  /** The keys records draw from. */
  readonly keys: readonly K[];
  /** `uniform` (default) or `skewed`: the first key is hot, getting about half of the records. */
  readonly keyDistribution?: 'uniform' | 'skewed';
  /** Values, from the caller's own arbitrary. */
  readonly values: fc.Arbitrary<V>;
  /**
   * Number of steps (a step is one record, or two or more for duplicates and bursts): default 0 to
   * {@link DEFAULT_MAX_STEPS}. Lengths are spread over the whole range: a `maxLength` you give is
   * reached, not capped by fast-check's default size.
   */
  readonly minLength?: number;
  readonly maxLength?: number;
  /**
   * fast-check's size for the number of steps (`'xsmall'` … `'max'`, or relative `'-1'`, `'='`,
   * `'+1'`). Default: `'max'` when `maxLength` is given, so every length up to it is drawn, else
   * `'medium'` (dozens of records).
   */
  readonly size?: fc.SizeForArbitrary;
  /** Timestamp of the first record (default 0). */
  readonly startTime?: number;
  /** Event time advances by 0 to this many ms per record (default 1,000). */
  readonly maxStepMs?: number;
  /** A record may lag the newest time by up to this many ms: bounded out-of-order (default 0). */
  readonly maxJitterMs?: number;
  /**
   * Occasionally (about 1 record in `every`, default 20) a record comes more than `graceMs` behind
   * stream time (the newest timestamp sent before it) — late by construction: a late step is drawn
   * only once stream time has passed `graceMs` (so its timestamp stays non-negative); before that
   * the step is an ordinary record. Whether a window operation drops it also depends on the window
   * it falls in: `lateRecords` tells exactly which records a window must drop.
   */
  readonly late?: { readonly graceMs: number; readonly every?: number };
  /** Fraction of records that are tombstones (null value), default 0. */
  readonly tombstoneRate?: number;
  /** Fraction of records repeated right away (same key, value and time), default 0. */
  readonly duplicateRate?: number;
  /** Fraction of records that come as a burst of 2 to `maxBurst` at the same time, default 0. */
  readonly burstRate?: number;
  readonly maxBurst?: number;
}

/** The default most steps of {@link keyedEvents}: with fast-check's `'medium'` size, dozens of records a case. */
export const DEFAULT_MAX_STEPS = 100;

interface Step<V> {
  readonly keyIndex: number;
  readonly value: V;
  readonly advance: number;
  readonly jitter: number;
  readonly late: boolean;
  readonly lateBy: number;
  readonly tombstone: boolean;
  readonly repeat: number;
}

/** How often a record is sent: once (what it shrinks to), twice (a duplicate), or in a burst. */
function repeats(duplicateRate: number, burstRate: number, maxBurst: number): fc.Arbitrary<number> {
  const scale = 1_000;
  return fc.integer({ min: 0, max: scale - 1 }).chain((n) => {
    if (n < scale - Math.round((duplicateRate + burstRate) * scale)) return fc.constant(1);
    if (n < scale - Math.round(burstRate * scale)) return fc.constant(2);
    return fc.integer({ min: 2, max: Math.max(2, maxBurst) });
  });
}

/** True about `rate` of the time; shrinks to false. */
function sometimes(rate: number): fc.Arbitrary<boolean> {
  if (rate <= 0) return fc.constant(false);
  const scale = 1_000;
  return fc.integer({ min: 0, max: scale - 1 }).map((n) => n >= scale - Math.round(rate * scale));
}

/**
 * A stream of keyed records for one topic over a uniform or skewed key distribution: timestamps
 * advance with bounded out-of-order jitter (no record lags the newest one sent by more than
 * `maxJitterMs`), with optional late records (lagging by more than `late.graceMs`), tombstones,
 * duplicates and bursts. Every choice shrinks toward zero — fewer records, no jitter, no late records,
 * no tombstones — so a failing case shrinks to a short, in-order, readable input.
 *
 * @example
 * const clicks = keyedEvents({ topic: 'clicks', keys: ['ann', 'bob'], values: fc.constantFrom('/home', '/cart'), maxJitterMs: 500 });
 */
export function keyedEvents<K, V>(options: KeyedEventsOptions<K, V>): fc.Arbitrary<Array<InputRecord<K, V>>> {
  const keys = options.keys;
  if (keys.length === 0) throw new StreamsError('INVALID_ARGUMENT', `keyedEvents for topic "${options.topic}" needs at least one key`);
  const maxStep = options.maxStepMs ?? 1_000;
  const maxJitter = options.maxJitterMs ?? 0;
  const grace = options.late?.graceMs ?? 0;
  const maxBurst = options.maxBurst ?? 5;
  const keyIndex = options.keyDistribution === 'skewed' && keys.length > 1
    ? fc.oneof({ weight: keys.length, arbitrary: fc.constant(0) }, { weight: keys.length, arbitrary: fc.integer({ min: 0, max: keys.length - 1 }) })
    : fc.integer({ min: 0, max: keys.length - 1 });
  const step: fc.Arbitrary<Step<V>> = fc.record({
    keyIndex,
    value: options.values,
    advance: fc.integer({ min: 0, max: maxStep }),
    jitter: fc.integer({ min: 0, max: maxJitter }),
    late: options.late === undefined ? fc.constant(false) : sometimes(1 / (options.late.every ?? 20)),
    lateBy: fc.integer({ min: 1, max: Math.max(1, maxStep) }),
    tombstone: sometimes(options.tombstoneRate ?? 0),
    repeat: repeats(options.duplicateRate ?? 0, options.burstRate ?? 0, maxBurst),
  });
  const size = options.size ?? (options.maxLength === undefined ? 'medium' : 'max');
  const lengths = { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? DEFAULT_MAX_STEPS, size };
  return fc.array(step, lengths).map((steps) => {
    const records: Array<InputRecord<K, V>> = [];
    let newest = options.startTime ?? 0;
    let streamTime = -1;
    for (const s of steps) {
      newest += s.advance;
      // A late record lags beyond grace behind stream time; others lag at most the jitter. A late
      // step that would need a negative timestamp is an ordinary record instead (never clamped to 0,
      // which would make it on time).
      const lateTimestamp = streamTime - grace - s.lateBy;
      const timestamp = s.late && lateTimestamp >= 0 ? lateTimestamp : Math.max(0, newest - s.jitter);
      streamTime = Math.max(streamTime, timestamp);
      const record: InputRecord<K, V> = { topic: options.topic, key: keys[s.keyIndex]!, value: s.tombstone ? null : s.value, timestamp };
      for (let i = 0; i < s.repeat; i++) records.push(record);
    }
    return records;
  });
}
