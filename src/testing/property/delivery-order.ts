import type { InputRecord } from '../generators/input-record.ts';

/**
 * Another delivery order of `input` in which no record falls `graceMs` or more behind stream time
 * unless it already did in `input`: the orders a windowed operation must not be able to tell apart.
 *
 * Records that were late in `input` (at least `graceMs` behind the stream time before them) stay
 * where they are and nothing moves across them, so each meets exactly the stream time it met
 * before and is dropped, or not, as before. Between them, record `i` wants position `i + delays[i]`
 * (missing delays are 0, so delays shrink to the original order), and is delivered earlier when
 * waiting longer would leave it `graceMs` behind.
 *
 * Returns indexes into `input`, in delivery order.
 */
export function deliveryWithinGrace(input: ReadonlyArray<InputRecord>, delays: readonly number[], graceMs: number): number[] {
  const order: number[] = [];
  let streamTime = -Infinity;
  let segment: number[] = [];
  const flush = (): void => {
    streamTime = deliverSegment(input, segment, delays, graceMs, streamTime, order);
    segment = [];
  };
  let originalStreamTime = -Infinity;
  input.forEach((record, i) => {
    if (originalStreamTime - record.timestamp >= graceMs) {
      flush();
      order.push(i);
    } else {
      segment.push(i);
    }
    originalStreamTime = Math.max(originalStreamTime, record.timestamp);
  });
  flush();
  return order;
}

/**
 * Delivers one segment of on-time records. Invariant: every record still waiting is less than
 * `graceMs` behind stream time. Before a record raises stream time, the waiting records it would
 * leave `graceMs` behind go first, oldest first; so each is delivered in time, and so is the record.
 */
function deliverSegment(input: ReadonlyArray<InputRecord>, segment: readonly number[], delays: readonly number[], graceMs: number, startTime: number, order: number[]): number {
  let streamTime = startTime;
  const waiting = [...segment].sort((a, b) => a + (delays[a] ?? 0) - (b + (delays[b] ?? 0)) || a - b);
  while (waiting.length > 0) {
    const next = waiting.shift()!;
    const raised = Math.max(streamTime, input[next]!.timestamp);
    const overdue = waiting.filter((i) => raised - input[i]!.timestamp >= graceMs)
      .sort((a, b) => input[a]!.timestamp - input[b]!.timestamp || a - b);
    for (const i of overdue) {
      waiting.splice(waiting.indexOf(i), 1);
      order.push(i);
      streamTime = Math.max(streamTime, input[i]!.timestamp);
    }
    order.push(next);
    streamTime = Math.max(streamTime, input[next]!.timestamp);
  }
  return streamTime;
}
