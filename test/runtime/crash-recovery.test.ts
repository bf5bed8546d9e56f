import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tempDir } from '../support/temp-dir.ts';
import { runCrashScenario } from './support/crash-scenario.ts';

describe('a crash at any moment loses nothing', () => {
  it('after SIGKILLs at random points and a restart, every user ends with exactly its events counted (state rebuilt, output at least once)', async () => {
    // Each user's count must be exactly its number of events: a lost store would undercount, and
    // replays after a crash are skipped by the aggregation, so duplicates cannot hide a loss.
    // More seeds: `npx tsx test/soak/crash-soak.ts`.
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 2 }), async (killDelays) => {
        const { exitCode, expected, actual } = await runCrashScenario(tempDir(), killDelays);
        expect(exitCode).toBe(0);
        expect(actual).toEqual(expected);
      }),
      { seed: 71, numRuns: 2 },
    );
  }, 120_000);
});
