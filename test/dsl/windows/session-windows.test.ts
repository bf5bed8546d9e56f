import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Consumed, EmitStrategy, Produced, SessionWindows, StreamsBuilder } from '../../../src/dsl/index.ts';
import { Serdes } from '../../../src/serde/index.ts';
import { runWindowed, sessionWindowed } from './support.ts';

function sessionCount(windows: SessionWindows, emit = EmitStrategy.onWindowUpdate()) {
  const builder = new StreamsBuilder();
  builder.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(windows)
    .emitStrategy(emit)
    .count()
    .toStream()
    .to('output', Produced.with(sessionWindowed(), Serdes.Long()));
  return builder.build();
}

/** Sessions by definition: sort a key's times and cut wherever two neighbours are more than `gap` apart. */
function referenceSessions(times: readonly number[], gap: number): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  const sessions: string[] = [];
  let start = sorted[0]!;
  let end = start;
  let count = 0;
  for (const t of sorted) {
    if (t - end > gap) {
      sessions.push(`[a@${start}/${end}] ${count}`);
      start = t;
      count = 0;
    }
    end = t;
    count++;
  }
  sessions.push(`[a@${start}/${end}] ${count}`);
  return sessions;
}

describe('session windows', () => {
  it('merges sessions a record bridges, retracting each merged-away session with a tombstone', async () => {
    const out = await runWindowed(sessionCount(SessionWindows.ofInactivityGapAndGrace(5, 100)),
      [['a', 'x', 0], ['a', 'x', 3], ['a', 'x', 20], ['a', 'x', 10], ['a', 'x', 15]], sessionWindowed(), Serdes.Long());
    expect(out).toEqual([
      '[a@0/0] 1 @0',
      '[a@0/0] null @0',
      '[a@0/3] 2 @3',
      '[a@20/20] 1 @20',
      '[a@10/10] 1 @10', // 10 is more than 5 away from 3 and from 20: a session of its own
      '[a@10/10] null @10',
      '[a@20/20] null @20',
      '[a@10/20] 3 @20', // 15 bridges [10,10] and [20,20]
    ]);
  });

  it('drops a record whose session would end before stream time minus grace minus gap', async () => {
    const out = await runWindowed(sessionCount(SessionWindows.ofInactivityGapAndGrace(5, 10)),
      [['a', 'x', 0], ['a', 'x', 30], ['a', 'x', 14], ['a', 'x', 15]], sessionWindowed(), Serdes.Long());
    // at stream time 30, sessions ending before 30 - 10 - 5 = 15 are closed
    expect(out).toEqual(['[a@0/0] 1 @0', '[a@30/30] 1 @30', '[a@15/15] 1 @15']);
  });

  it('emits each session once after it closes with on-window-close', async () => {
    const out = await runWindowed(sessionCount(SessionWindows.ofInactivityGapWithNoGrace(5), EmitStrategy.onWindowClose()),
      [['a', 'x', 0], ['a', 'x', 3], ['b', 'x', 4], ['a', 'x', 20], ['a', 'x', 40]], sessionWindowed(), Serdes.Long());
    expect(out).toEqual(['[a@0/3] 2 @3', '[b@4/4] 1 @4', '[a@20/20] 1 @20']);
  });

  it('final sessions equal a reference sessionizer for any input within grace', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 15 }), fc.integer({ min: 1, max: 12 }), async (times, gap) => {
      const out = await runWindowed(sessionCount(SessionWindows.ofInactivityGapAndGrace(gap, 1_000)),
        times.map((t) => ['a', 'x', t] as const), sessionWindowed(), Serdes.Long());
      const live = new Map<string, string>();
      for (const line of out) {
        const [, session, value] = /^(\S+) (\S+) @/.exec(line)!;
        if (value === 'null') live.delete(session!);
        else live.set(session!, `${session} ${value}`);
      }
      const sortKey = (s: string) => Number(/@(\d+)/.exec(s)![1]);
      expect([...live.values()].sort((x, y) => sortKey(x) - sortKey(y))).toEqual(referenceSessions(times, gap));
    }), { numRuns: 150, seed: 11 });
  });
});
