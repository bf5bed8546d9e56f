import { describe, expect, it } from 'vitest';
import { isStreamsError } from '../../src/common/index.ts';
import { PunctuationType } from '../../src/processor/index.ts';
import type { Cancellable, Processor, ProcessorContext, Punctuator } from '../../src/processor/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { runningTask } from './support/task-harness.ts';

/** A processor whose init schedules what `setup` asks for; records what happened in `log`. */
function schedulingTopology(setup: (context: ProcessorContext, log: string[]) => void, log: string[]): Topology {
  const processor = (): Processor<string, string> => ({
    init: (context) => setup(context as ProcessorContext, log),
    process: (record) => log.push(`process@${record.timestamp}`),
  });
  return new Topology().addSource('source', 'input').addProcessor('proc', processor, 'source');
}

function streamTimeEvery(intervalMs: number): (context: ProcessorContext, log: string[]) => void {
  return (context, log) => {
    context.schedule(intervalMs, PunctuationType.STREAM_TIME, (ts) => log.push(`punctuate@${ts}`));
  };
}

describe('stream-time punctuation', () => {
  it('does not fire before any record arrives', () => {
    const log: string[] = [];
    const { task } = runningTask(schedulingTopology(streamTimeEvery(10), log));
    expect(task.maybePunctuateStreamTime()).toBe(false);
    expect(log).toEqual([]);
  });

  it('is aligned to 0: the first record fires it, with the stream time as argument', () => {
    const log: string[] = [];
    const { pipe } = runningTask(schedulingTopology(streamTimeEvery(10), log));
    pipe('input', 'k', 'v', 5);
    expect(log).toEqual(['process@5', 'punctuate@5']);
  });

  it('fires on the record that moves stream time across the next boundary, not before', () => {
    const log: string[] = [];
    const { pipe } = runningTask(schedulingTopology(streamTimeEvery(10), log));
    pipe('input', 'k', 'v', 5);
    pipe('input', 'k', 'v', 9);
    pipe('input', 'k', 'v', 10);
    pipe('input', 'k', 'v', 19);
    pipe('input', 'k', 'v', 21);
    expect(log.filter((e) => e.startsWith('punctuate'))).toEqual(['punctuate@5', 'punctuate@10', 'punctuate@21']);
  });

  it('collapses missed intervals into one call and schedules the next one past stream time', () => {
    const log: string[] = [];
    const { pipe } = runningTask(schedulingTopology(streamTimeEvery(10), log));
    pipe('input', 'k', 'v', 0);
    pipe('input', 'k', 'v', 45); // boundaries 10, 20, 30 and 40 all passed: one call
    pipe('input', 'k', 'v', 49);
    pipe('input', 'k', 'v', 50);
    expect(log.filter((e) => e.startsWith('punctuate'))).toEqual(['punctuate@0', 'punctuate@45', 'punctuate@50']);
  });

  it('does not fire for an out-of-order record: stream time never goes back', () => {
    const log: string[] = [];
    const { pipe, task } = runningTask(schedulingTopology(streamTimeEvery(10), log));
    pipe('input', 'k', 'v', 15);
    pipe('input', 'k', 'v', 3);
    expect(task.streamTimeMs()).toBe(15);
    expect(log).toEqual(['process@15', 'punctuate@15', 'process@3']);
  });

  it('stops after cancel(), also when cancelled from inside the punctuator', () => {
    const log: string[] = [];
    let outside: Cancellable | undefined;
    const topology = schedulingTopology((context, events) => {
      outside = context.schedule(10, PunctuationType.STREAM_TIME, (ts) => events.push(`a@${ts}`));
      const inside: Cancellable = context.schedule(10, PunctuationType.STREAM_TIME, (ts) => {
        events.push(`b@${ts}`);
        if (ts >= 10) inside.cancel();
      });
    }, log);
    const { pipe } = runningTask(topology);
    pipe('input', 'k', 'v', 0);
    outside!.cancel();
    pipe('input', 'k', 'v', 10);
    pipe('input', 'k', 'v', 20);
    expect(log.filter((e) => !e.startsWith('process'))).toEqual(['a@0', 'b@0', 'b@10']);
  });

  it('a stream-time punctuator scheduled by a running punctuator fires in the same pass when already due', () => {
    const log: string[] = [];
    const topology = schedulingTopology((context, events) => {
      let scheduled = false;
      context.schedule(10, PunctuationType.STREAM_TIME, (ts) => {
        events.push(`outer@${ts}`);
        if (!scheduled) {
          scheduled = true;
          context.schedule(5, PunctuationType.STREAM_TIME, (t) => events.push(`inner@${t}`));
        }
      });
    }, log);
    const { pipe } = runningTask(topology);
    pipe('input', 'k', 'v', 7);
    expect(log.filter((e) => !e.startsWith('process'))).toEqual(['outer@7', 'inner@7']);
  });

  it('rejects intervals below 1 ms', () => {
    const attempt = (interval: number) => {
      let error: unknown;
      const topology = schedulingTopology((context) => {
        try {
          context.schedule(interval, PunctuationType.STREAM_TIME, () => {});
        } catch (e) {
          error = e;
        }
      }, []);
      runningTask(topology);
      return error;
    };
    expect(isStreamsError(attempt(0), 'INVALID_ARGUMENT')).toBe(true);
    expect(isStreamsError(attempt(-5), 'INVALID_ARGUMENT')).toBe(true);
    expect(attempt(1)).toBeUndefined();
  });
});

describe('wall-clock punctuation', () => {
  const everyTen = (log: string[]) => schedulingTopology((context) => {
    const punctuator: Punctuator = (ts) => log.push(`wall@${ts}`);
    context.schedule(10, PunctuationType.WALL_CLOCK_TIME, punctuator);
  }, log);

  it('first fires at the scheduling time plus the interval', () => {
    const log: string[] = [];
    const { task, clock } = runningTask(everyTen(log), { wallClockMs: 1_000 });
    clock.set(1_009);
    expect(task.maybePunctuateSystemTime()).toBe(false);
    clock.set(1_010);
    expect(task.maybePunctuateSystemTime()).toBe(true);
    expect(log).toEqual(['wall@1010']);
  });

  it('fires once when the clock jumps several intervals, then resumes on the interval grid', () => {
    const log: string[] = [];
    const { task, clock } = runningTask(everyTen(log), { wallClockMs: 0 });
    clock.set(35);
    task.maybePunctuateSystemTime();
    clock.set(39);
    task.maybePunctuateSystemTime();
    clock.set(40);
    task.maybePunctuateSystemTime();
    expect(log).toEqual(['wall@35', 'wall@40']);
  });

  it('a wall-clock punctuator scheduled by a running punctuator first fires one interval after that moment', () => {
    const log: string[] = [];
    const topology = schedulingTopology((context, events) => {
      let scheduled = false;
      context.schedule(10, PunctuationType.WALL_CLOCK_TIME, (ts) => {
        events.push(`outer@${ts}`);
        if (!scheduled) {
          scheduled = true;
          context.schedule(3, PunctuationType.WALL_CLOCK_TIME, (t) => events.push(`inner@${t}`));
        }
      });
    }, log);
    const { task, clock } = runningTask(topology);
    clock.set(10);
    task.maybePunctuateSystemTime();
    expect(log).toEqual(['outer@10']);
    clock.set(13);
    task.maybePunctuateSystemTime();
    expect(log).toEqual(['outer@10', 'inner@13']);
  });

  it('is not driven by record timestamps', () => {
    const log: string[] = [];
    const { pipe } = runningTask(everyTen(log));
    pipe('input', 'k', 'v', 1_000_000);
    expect(log).toEqual(['process@1000000']);
  });
});
