/**
 * The order-counting scenario the stream-thread tests share (in-loop and worker threads): an
 * engine with 4-partition "orders" and "counts" topics, orders keyed by user, and the counts every
 * run must end with.
 */
import { join } from 'node:path';
import { LogEngine, Serdes } from '../../../src/index.ts';
import { tempDir } from '../../support/temp-dir.ts';

export const PARTITIONS = 4;
export const USERS = 17;
const long = Serdes.Long();

/** A fresh engine with "orders" and "counts"; `cleanup` gets its close. */
export async function openEngine(cleanup: Array<() => Promise<unknown>>): Promise<{ dir: string; engine: LogEngine }> {
  const dir = tempDir();
  const engine = await LogEngine.open({ dataDir: join(dir, 'log') });
  cleanup.push(() => engine.close());
  await engine.createTopic('orders', { partitions: PARTITIONS });
  await engine.createTopic('counts', { partitions: PARTITIONS });
  return { dir, engine };
}

/** Orders `from` up to `to` (exclusive), keyed by user (the default partitioner spreads the users). */
export async function produce(engine: LogEngine, from: number, to: number, userOf = (n: number) => `user-${n % USERS}`): Promise<void> {
  await engine.produce('orders', Array.from({ length: to - from }, (_, i) => ({
    key: Buffer.from(userOf(from + i)), value: long.serialize('orders', from + i), timestamp: from + i, headers: [],
  })));
}

/** The count per user after orders 0 up to `count`, spread over `users` users as `produce` spreads them by default. */
export function expectedCounts(count: number, users = USERS): Map<string, number> {
  const expected = new Map<string, number>();
  for (let n = 0; n < count; n++) expected.set(`user-${n % users}`, (expected.get(`user-${n % users}`) ?? 0) + 1);
  return expected;
}

/** The latest count per user in "counts" (read_committed: only what committed transactions hold). */
export async function latestCounts(engine: LogEngine): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  for (let p = 0; p < PARTITIONS; p++) {
    const { records } = await engine.fetchRecords('counts', p, 0, { isolationLevel: 'read_committed', maxBytes: 64 << 20 });
    for (const r of records) latest.set(r.key!.toString(), long.deserialize('counts', r.value)!);
  }
  return latest;
}

export const sameCounts = (a: Map<string, number>, b: Map<string, number>): boolean => a.size === b.size && [...b].every(([k, v]) => a.get(k) === v);
