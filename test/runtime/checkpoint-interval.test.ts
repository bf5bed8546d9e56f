import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir.ts';
import {
  KafkaStreams, PARTITIONS, expectedTotals, latestTotals, openTotalsLog, produceOrders, totalsConfig, totalsTopology, waitForCommitted,
} from './support/totals-app.ts';

const checkpointOf = (dir: string, task: string): { offsets: { [store: string]: number } } =>
  JSON.parse(readFileSync(join(dir, 'state', 'sums', task, '.checkpoint'), 'utf8'));

describe('at-least-once checkpoints (Kafka Streams\' 10,000-record rule)', () => {
  it('are not rewritten by commits while the changelogs move less than 10,000 records, and are current after a clean close', async () => {
    const dir = tempDir();
    const log = await openTotalsLog(dir, true);
    await produceOrders(log, 0, 1_000);
    const streams = new KafkaStreams(totalsTopology(), totalsConfig(dir), { engine: log });
    await streams.start();
    await waitForCommitted(log);
    const tasks = Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`);
    // The first commit of a task writes one; the many commits since (every 30 ms) moved its changelog by far less than 10,000.
    const first = tasks.map((task) => checkpointOf(dir, task));
    await produceOrders(log, 1_000, 2_000);
    await waitForCommitted(log);
    expect(tasks.map((task) => checkpointOf(dir, task))).toEqual(first);
    await streams.close();
    for (const [p, task] of tasks.entries()) {
      const latest = (await log.listOffsets('sums-totals-changelog', p)).latest;
      expect(latest).toBeGreaterThan(first[p]!.offsets.totals!);
      expect(checkpointOf(dir, task).offsets.totals).toBe(latest);
    }
    expect(await latestTotals(log)).toEqual(expectedTotals(2_000));
    await log.close();
  }, 60_000);
});
