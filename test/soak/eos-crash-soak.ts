/**
 * The exactly-once crash test with many more seeds than the suite runs:
 * `npx tsx test/soak/eos-crash-soak.ts [--runs N] [--seed S] [--broker]`. Each run kills worker
 * processes with SIGKILL at random moments and checks that read_committed totals are each user's
 * fold over its events, one update per event. With `--broker` the workers reach the data through
 * `kstreams broker` (held by this process) instead of opening the engine. Prints one line per run
 * and exits non-zero on the first failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { KafkaBroker, LogEngine } from '../../src/index.ts';
import { EmbeddedCluster } from '../../src/client/index.ts';
import { runEosCrashScenario } from '../runtime/support/eos-crash-scenario.ts';
import type { CrashTarget } from '../runtime/support/eos-crash-scenario.ts';

/** `kstreams broker` over an engine in `dir`, for the workers to reach over the Kafka protocol. */
async function brokerTarget(dir: string): Promise<{ target: CrashTarget; stop: () => Promise<void> }> {
  const engine = await LogEngine.open({ dataDir: join(dir, 'broker') });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  const target: CrashTarget = { withCluster: (use) => use(EmbeddedCluster.of(engine)), workerFlags: [`--bootstrap=127.0.0.1:${port}`] };
  return { target, stop: async () => { await broker.close(); await engine.close(); } };
}

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, broker: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
if (values.help === true) {
  console.log('usage: npx tsx test/soak/eos-crash-soak.ts [--runs N] [--seed S] [--broker]');
  process.exit(0);
}
const runs = Number(values.runs ?? 20);
let state = Number(values.seed ?? 1) >>> 0;
const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);

for (let run = 1; run <= runs; run++) {
  const killDelays = Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * 400));
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-eos-crash-soak-'));
  const onBroker = values.broker === true ? await brokerTarget(dir) : undefined;
  try {
    const { exitCode, expected, actual } = await runEosCrashScenario(dir, killDelays, onBroker?.target);
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
    await onBroker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
