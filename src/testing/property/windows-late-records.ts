import type { InputRecord } from '../generators/input-record.ts';
import { keyId } from './run-topology.ts';

/** Tumbling (no `advanceMs`) or hopping time windows, as `TimeWindows` describes them. */
export interface TimeWindowsShape {
  readonly sizeMs: number;
  readonly advanceMs?: number;
  readonly graceMs: number;
}

/** A record and one window it falls in: `[key@start/end]` is the window's id in results. */
export interface WindowedRecord {
  readonly index: number;
  readonly record: InputRecord;
  readonly window: { readonly start: number; readonly end: number };
  readonly id: string;
}

/**
 * Which windows each record of `input` counts in, and which it must be dropped from, by Kafka
 * Streams' rule for time windows in one partition delivered in this order: stream time is the
 * newest timestamp seen (the record's own included; null-key records are dropped before they count
 * toward it), and a record is dropped from a window whose end is at or before stream time minus
 * grace. Windows are epoch-aligned `[start, end)`, none starting before 0.
 *
 * @example
 * const { dropped } = windowsOf(input, TimeWindows.ofSizeAndGrace(1_000, 200));
 * // dropped: [{ index: 7, record, window: { start: 0, end: 1000 }, id: '[u1@0/1000]' }, ...]
 */
export function windowsOf(input: readonly InputRecord[], windows: TimeWindowsShape): { accepted: WindowedRecord[]; dropped: WindowedRecord[] } {
  const advance = windows.advanceMs ?? windows.sizeMs;
  const accepted: WindowedRecord[] = [];
  const dropped: WindowedRecord[] = [];
  let streamTime = -Infinity;
  input.forEach((record, index) => {
    if (record.key === null) return;
    streamTime = Math.max(streamTime, record.timestamp);
    const closeTime = streamTime - windows.graceMs;
    let start = Math.floor(Math.max(0, record.timestamp - windows.sizeMs + advance) / advance) * advance;
    for (; start <= record.timestamp; start += advance) {
      const window = { start, end: start + windows.sizeMs };
      const entry = { index, record, window, id: `[${keyId(record.key)}@${start}/${window.end}]` };
      (window.end > closeTime ? accepted : dropped).push(entry);
    }
  });
  return { accepted, dropped };
}
