import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setLogLevel, setLogSink, type LogLevel } from '../../src/common/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import {
  KafkaStreams, PARTITIONS, expectedTotals, latestTotals, openTotalsLog, produceOrders, totalsConfig, totalsTopology, waitForCommitted,
} from './support/totals-app.ts';

const FIRST = 3_000;
const MORE = 500;
// The warnings are the behaviour under test, whatever KSTREAMS_LOG_LEVEL says.
setLogLevel('warn');
let warnings: string[] = [];
setLogSink((level: LogLevel, _category, message) => void (level === 'warn' && warnings.push(message)));
afterEach(() => {
  warnings = [];
});

const storeDir = (dir: string, task: string) => join(dir, 'state', 'sums', task, 'totals');

/**
 * Sums the first orders and closes cleanly (checkpoints written); damages the local state; sums
 * more orders after a restart. Returns what a reader of "totals" ends with and the warnings.
 */
async function runWithDamage(damage: (dir: string) => void) {
  const dir = tempDir();
  const log = await openTotalsLog(dir, true);
  await produceOrders(log, 0, FIRST);
  let streams = new KafkaStreams(totalsTopology(), totalsConfig(dir), { engine: log });
  await streams.start();
  await waitForCommitted(log);
  await streams.close();
  damage(dir);
  warnings = [];
  await produceOrders(log, FIRST, FIRST + MORE);
  streams = new KafkaStreams(totalsTopology(), totalsConfig(dir), { engine: log });
  await streams.start();
  await waitForCommitted(log);
  await streams.close();
  const totals = await latestTotals(log);
  await log.close();
  return { totals, warnings: [...warnings] };
}

const tasks = Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`);

describe('local state that cannot match its checkpoint is restored from the changelog, never silently lost', () => {
  it('a LevelDB write-ahead log cut in half (a power loss)', async () => {
    const { totals, warnings } = await runWithDamage((dir) => {
      for (const task of tasks) {
        const wal = readdirSync(storeDir(dir, task)).filter((f) => f.endsWith('.log')).map((f) => join(storeDir(dir, task), f));
        for (const file of wal) truncateSync(file, Math.floor(statSync(file).size / 2));
      }
    });
    expect(totals).toEqual(expectedTotals(FIRST + MORE));
    for (const task of tasks) expect(warnings.filter((w) => w.startsWith(`task ${task}: store "totals" holds`) && w.includes('was lost'))).toHaveLength(1);
  });

  it('an emptied store directory, its checkpoint kept', async () => {
    const { totals, warnings } = await runWithDamage((dir) => {
      for (const task of tasks) for (const file of readdirSync(storeDir(dir, task))) rmSync(join(storeDir(dir, task), file));
    });
    expect(totals).toEqual(expectedTotals(FIRST + MORE));
    for (const task of tasks) expect(warnings.filter((w) => w.includes(`task ${task}: store "totals" holds 0 durable writes`))).toHaveLength(1);
  });

  it('a garbage checkpoint', async () => {
    const { totals, warnings } = await runWithDamage((dir) => {
      for (const task of tasks) writeFileSync(join(dir, 'state', 'sums', task, '.checkpoint'), '{"version": 2, "offs');
    });
    expect(totals).toEqual(expectedTotals(FIRST + MORE));
    for (const task of tasks) expect(warnings.filter((w) => w.startsWith(`task ${task}: its checkpoint`) && w.includes('is not readable JSON'))).toHaveLength(1);
  });

  it('a garbage MANIFEST', async () => {
    const { totals, warnings } = await runWithDamage((dir) => {
      for (const task of tasks) {
        const manifest = readdirSync(storeDir(dir, task)).find((f) => f.startsWith('MANIFEST-'))!;
        const path = join(storeDir(dir, task), manifest);
        writeFileSync(path, Buffer.alloc(readFileSync(path).length, 0x5a));
      }
    });
    expect(totals).toEqual(expectedTotals(FIRST + MORE));
    for (const task of tasks) expect(warnings.filter((w) => w.startsWith(`task ${task}: could not open persistent store "totals"`))).toHaveLength(1);
  });

  it('undamaged state resumes from its checkpoint without a warning', async () => {
    const { totals, warnings } = await runWithDamage(() => undefined);
    expect(totals).toEqual(expectedTotals(FIRST + MORE));
    expect(warnings).toEqual([]);
  });
});
