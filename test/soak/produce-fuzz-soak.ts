/**
 * The produce-path property with many more runs than the suite: `npx tsx test/soak/produce-fuzz-soak.ts [--runs N] [--seed S]`.
 * Each run produces requests of honest and lying record batches to a fresh engine, reopens it
 * uncleanly and checks that every acknowledged record is there at contiguous offsets. Prints the
 * seed and exits non-zero on the first failure, with fast-check's shrunk counterexample.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setLogLevel } from '../../src/common/index.ts';
import { producePathProperty } from '../log/support/produce-fuzz.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (values.help === true) {
  console.log('usage: npx tsx test/soak/produce-fuzz-soak.ts [--runs N] [--seed S]');
  process.exit(0);
}
const runs = Number(values.runs ?? 2_000);
const seed = Number(values.seed ?? Date.now() % 2 ** 31);
setLogLevel('error');
const dir = mkdtempSync(join(tmpdir(), 'kstreams-produce-soak-'));
console.log(`produce-path fuzz: ${runs} runs, seed ${seed}`);
try {
  await fc.assert(producePathProperty(() => dir), { numRuns: runs, seed });
  console.log('ok');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
