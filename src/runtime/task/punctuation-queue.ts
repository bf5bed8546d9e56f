import type { Cancellable, PunctuationType, Punctuator } from '../../processor/index.ts';

/**
 * One scheduled punctuator. The same object is re-queued after each firing, so `cancel()` from
 * anywhere (including from inside the punctuator itself) stops every later firing.
 */
export class PunctuationSchedule implements Cancellable {
  /** Breaks ties between schedules due at the same time: earlier scheduled fires first. */
  readonly sequence: number;
  private cancelled = false;

  constructor(
    readonly nodeName: string,
    readonly type: PunctuationType,
    readonly intervalMs: number,
    readonly punctuator: Punctuator,
    /** When it is next due; stream-time schedules start at 0, wall-clock ones at now + interval. */
    public dueMs: number,
    sequence: number,
  ) {
    this.sequence = sequence;
  }

  cancel(): void {
    this.cancelled = true;
  }

  isCancelled(): boolean {
    return this.cancelled;
  }

  /**
   * Moves the due time past `firedAtMs`: normally one interval on; when whole intervals were missed
   * (a gap in the data, or a long wall-clock advance) they collapse, so it is never due again at once.
   */
  advancePast(firedAtMs: number): void {
    const next = this.dueMs + this.intervalMs;
    if (firedAtMs >= next) {
      const intervalsMissed = Math.floor((firedAtMs - this.dueMs) / this.intervalMs);
      this.dueMs += (intervalsMissed + 1) * this.intervalMs;
    } else {
      this.dueMs = next;
    }
  }
}

/** Calls one due schedule's punctuator on behalf of its processor node. */
export type PunctuateFn = (schedule: PunctuationSchedule, timestampMs: number) => void;

/**
 * Schedules of one punctuation type in a task, ordered by due time (a binary min-heap).
 * Behaves as Kafka's PunctuationQueue: every schedule due at `nowMs` fires once with `nowMs`
 * (the stream time or wall-clock time, not the due time); one scheduled by a punctuator while the
 * queue is firing fires in the same pass when it is already due.
 */
export class PunctuationQueue {
  private readonly heap: PunctuationSchedule[] = [];
  private nextSequence = 0;

  /** Adds a schedule first due at `firstDueMs`. */
  schedule(nodeName: string, type: PunctuationType, intervalMs: number, punctuator: Punctuator, firstDueMs: number): PunctuationSchedule {
    const schedule = new PunctuationSchedule(nodeName, type, intervalMs, punctuator, firstDueMs, this.nextSequence++);
    this.push(schedule);
    return schedule;
  }

  /** Fires every schedule due at or before `nowMs`; returns whether any punctuator ran. */
  mayPunctuate(nowMs: number, punctuate: PunctuateFn): boolean {
    let punctuated = false;
    let top = this.heap[0];
    while (top !== undefined && top.dueMs <= nowMs) {
      this.pop();
      if (!top.isCancelled()) {
        punctuate(top, nowMs);
        if (!top.isCancelled()) {
          top.advancePast(nowMs);
          this.push(top);
        }
        punctuated = true;
      }
      top = this.heap[0];
    }
    return punctuated;
  }

  /** Drops every schedule (processors are closed; they schedule again when re-initialised). */
  clear(): void {
    this.heap.length = 0;
  }

  private push(schedule: PunctuationSchedule): void {
    const heap = this.heap;
    heap.push(schedule);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}

function before(a: PunctuationSchedule, b: PunctuationSchedule): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.sequence < b.sequence);
}
