/**
 * The exactly-once crash test with many more seeds than the suite runs:
 * `npx tsx test/soak/eos-crash-soak.ts [--runs N] [--seed S]`. Each run kills worker processes with
 * SIGKILL at random moments and checks that read_committed totals are each user's fold over its
 * events, one update per event. Prints one line per run and exits non-zero on the first failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { runEosCrashScenario } from '../runtime/support/eos-crash-scenario.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (values.help === true) {
  console.log('usage: npx tsx test/soak/eos-crash-soak.ts [--runs N] [--seed S]');
  process.exit(0);
}
const runs = Number(values.runs ?? 20);
let state = Number(values.seed ?? 1) >>> 0;
const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);

for (let run = 1; run <= runs; run++) {
  const killDelays = Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * 400));
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-eos-crash-soak-'));
  try {
    const { exitCode, expected, actual } = await runEosCrashScenario(dir, killDelays);
    const ok = exitCode === 0 && isDeepStrictEqual(actual, expected);
    console.log(`run ${run}/${runs}: kills after ${killDelays.join(', ')} ms: ${ok ? 'ok' : 'FAILED'}`);
    if (!ok) {
      console.error(`exit code ${exitCode}; users whose totals differ from the fold:`);
      for (const [user, totals] of expected) {
        if (!isDeepStrictEqual(actual.get(user), totals)) console.error(user, { expected: totals.length, actual: actual.get(user)?.length ?? 0 });
      }
      process.exit(1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
