/**
 * The crash test with many more seeds than the suite runs: `npx tsx test/soak/crash-soak.ts [--runs N] [--seed S]`.
 * Each run kills worker processes with SIGKILL at random moments and checks that every user's
 * count ends exact. Prints one line per run and exits non-zero on the first failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import { runCrashScenario } from '../runtime/support/crash-scenario.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (values.help === true) {
  console.log('usage: npx tsx test/soak/crash-soak.ts [--runs N] [--seed S]');
  process.exit(0);
}
const runs = Number(values.runs ?? 20);
let state = Number(values.seed ?? 1) >>> 0;
const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);

for (let run = 1; run <= runs; run++) {
  const killDelays = Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * 300));
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-crash-soak-'));
  try {
    const { exitCode, expected, actual } = await runCrashScenario(dir, killDelays);
    const ok = exitCode === 0 && isDeepStrictEqual(actual, expected);
    console.log(`run ${run}/${runs}: kills after ${killDelays.join(', ')} ms: ${ok ? 'ok' : 'FAILED'}`);
    if (!ok) {
      console.error({ exitCode, expected: Object.fromEntries(expected), actual: Object.fromEntries(actual) });
      process.exit(1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
