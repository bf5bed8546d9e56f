/**
 * The state-damage test at a larger scale than the suite runs:
 * `npx tsx test/soak/state-damage-soak.ts [--orders N] [--more M]` (default 100,000 + 5,000).
 * For each kind of damage — a LevelDB write-ahead log cut in half, an emptied store directory, a
 * garbage checkpoint, a garbage MANIFEST — it sums N orders, closes cleanly, damages every task's
 * local state, sums M more after a restart, and checks that every user's total equals the model
 * and that one warning per task said why its state was rebuilt. Exits non-zero on the first failure.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { setLogLevel, setLogSink } from '../../src/index.ts';
import {
  KafkaStreams, PARTITIONS, expectedTotals, latestTotals, openTotalsLog, produceOrders, totalsConfig, totalsTopology, waitForCommitted,
} from '../runtime/support/totals-app.ts';

const { values } = parseArgs({ options: { orders: { type: 'string' }, more: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (values.help === true) {
  console.log('usage: npx tsx test/soak/state-damage-soak.ts [--orders N] [--more M]');
  process.exit(0);
}
const orders = Number(values.orders ?? 100_000);
const more = Number(values.more ?? 5_000);
setLogLevel('warn');
let warnings: string[] = [];
setLogSink((level, _category, message) => void (level === 'warn' && warnings.push(message)));

const tasks = Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`);
const storeDir = (dir: string, task: string) => join(dir, 'state', 'sums', task, 'totals');
const damages: Record<string, (dir: string) => void> = {
  'write-ahead log cut in half': (dir) => {
    for (const task of tasks) {
      for (const f of readdirSync(storeDir(dir, task)).filter((name) => name.endsWith('.log'))) {
        const path = join(storeDir(dir, task), f);
        truncateSync(path, Math.floor(statSync(path).size / 2));
      }
    }
  },
  'emptied store directory': (dir) => {
    for (const task of tasks) for (const f of readdirSync(storeDir(dir, task))) rmSync(join(storeDir(dir, task), f));
  },
  'garbage checkpoint': (dir) => {
    for (const task of tasks) writeFileSync(join(dir, 'state', 'sums', task, '.checkpoint'), 'not json');
  },
  'garbage MANIFEST': (dir) => {
    for (const task of tasks) {
      const manifest = readdirSync(storeDir(dir, task)).find((f) => f.startsWith('MANIFEST-'))!;
      writeFileSync(join(storeDir(dir, task), manifest), Buffer.alloc(readFileSync(join(storeDir(dir, task), manifest)).length, 0x5a));
    }
  },
};

for (const [name, damage] of Object.entries(damages)) {
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-state-soak-'));
  try {
    const log = await openTotalsLog(dir, true);
    await produceOrders(log, 0, orders);
    let streams = new KafkaStreams(totalsTopology(), totalsConfig(dir, { 'commit.interval.ms': 1000 }), { engine: log });
    await streams.start();
    await waitForCommitted(log);
    await streams.close();
    damage(dir);
    warnings = [];
    await produceOrders(log, orders, orders + more);
    streams = new KafkaStreams(totalsTopology(), totalsConfig(dir, { 'commit.interval.ms': 1000 }), { engine: log });
    await streams.start();
    await waitForCommitted(log);
    await streams.close();
    const actual = await latestTotals(log);
    await log.close();
    const rebuilt = tasks.filter((task) => warnings.filter((w) => w.startsWith(`task ${task}:`) && w.includes('restoring its stores')).length === 1);
    const ok = isDeepStrictEqual(actual, expectedTotals(orders + more)) && rebuilt.length === tasks.length;
    console.log(`${name}: ${orders} + ${more} orders, ${rebuilt.length}/${tasks.length} tasks rebuilt with a warning: ${ok ? 'ok' : 'FAILED'}`);
    if (!ok) {
      console.error({ warnings, expected: Object.fromEntries(expectedTotals(orders + more)), actual: Object.fromEntries(actual) });
      process.exit(1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
