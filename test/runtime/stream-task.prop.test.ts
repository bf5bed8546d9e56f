import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PunctuationType } from '../../src/processor/index.ts';
import type { ProcessorContext, Record } from '../../src/processor/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { runningTask } from './support/task-harness.ts';

const seed = 20261124;

describe('stream-time punctuation (property)', () => {
  it('fires on the first record and then exactly when stream time enters a new interval', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 60 }), (interval, timestamps) => {
        const fired: number[] = [];
        const topology = new Topology().addSource('s', 'in').addProcessor('p', () => ({
          init: (c: ProcessorContext) => { c.schedule(interval, PunctuationType.STREAM_TIME, (ts) => fired.push(ts)); },
          process: () => {},
        }), 's');
        const { pipe } = runningTask(topology);
        const expected: number[] = [];
        let streamTime = -1;
        for (const ts of timestamps) {
          const previous = streamTime;
          streamTime = Math.max(streamTime, ts);
          if (previous < 0 || Math.floor(streamTime / interval) > Math.floor(previous / interval)) expected.push(streamTime);
          pipe('in', 'k', 'v', ts);
        }
        expect(fired).toEqual(expected);
      }),
      { seed, numRuns: 200 },
    );
  });
});

describe('timestamp order across partitions (property)', () => {
  it('merges buffered partitions by timestamp and keeps each partition in offset order', () => {
    const sortedTimestamps = fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 30 }).map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(sortedTimestamps, sortedTimestamps, (left, right) => {
        const seen: Array<{ topic: string; offset: number; timestamp: number }> = [];
        let context: ProcessorContext;
        const topology = new Topology().addSource('s', 'left', 'right').addProcessor('p', () => ({
          init: (c: ProcessorContext) => { context = c; },
          process: (r: Record<unknown, unknown>) => {
            const m = context.recordMetadata()!;
            seen.push({ topic: m.topic, offset: m.offset, timestamp: r.timestamp });
          },
        }), 's');
        const { task } = runningTask(topology);
        const toRecords = (ts: number[]) => ts.map((timestamp, offset) => ({ offset, key: null, value: null, timestamp, headers: [] }));
        task.addRecords('left', toRecords(left));
        task.addRecords('right', toRecords(right));
        while (task.process()) { /* drain */ }
        expect(seen).toHaveLength(left.length + right.length);
        const timestamps = seen.map((s) => s.timestamp);
        expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
        for (const topic of ['left', 'right']) {
          const offsets = seen.filter((s) => s.topic === topic).map((s) => s.offset);
          expect(offsets).toEqual(offsets.map((_, i) => i));
        }
      }),
      { seed, numRuns: 200 },
    );
  });
});
