/**
 * The exactly-once crash scenario shared by the crash test and the soak script
 * (test/soak/eos-crash-soak.ts): a worker process sums each user's events under exactly_once_v2
 * and is killed with SIGKILL at chosen moments; a last run finishes. A read_committed reader of
 * "totals" must then see, for each user, exactly the running totals of a fold over its events in
 * order: one update per event, none repeated, none missing.
 */
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { LogEngine, Serdes } from '../../../src/index.ts';
import { EmbeddedCluster } from '../../../src/client/index.ts';
import type { Cluster } from '../../../src/client/index.ts';

const long = Serdes.Long();
export const EVENTS = 2000;
export const USERS = 20;
const PARTITIONS = 3;

export function startWorker(dir: string, expected: number, ...flags: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/eos-crash-worker.ts', dir, String(expected), ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  const printed = (line: string) => new Promise<void>((resolve) => {
    const check = () => stdout.includes(line) && resolve();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    check();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, running: printed('RUNNING'), caughtUp: printed('CAUGHT-UP'), exited };
}

/**
 * Where the scenario runs: the embedded engine in `<dir>/log`, opened by each worker in turn, or
 * `kstreams broker` over that engine, held by the test process while workers connect to it.
 */
export interface CrashTarget {
  /** Runs `use` with a cluster on the data (opening and closing the engine when no broker holds it). */
  withCluster<T>(use: (cluster: Cluster) => Promise<T>): Promise<T>;
  /** Flags that make a worker run on this target. */
  readonly workerFlags: readonly string[];
}

export function embeddedTarget(dir: string): CrashTarget {
  return {
    async withCluster(use) {
      const log = await LogEngine.open({ dataDir: join(dir, 'log') });
      try {
        return await use(EmbeddedCluster.of(log));
      } finally {
        await log.close();
      }
    },
    workerFlags: [],
  };
}

/** Event `n` belongs to user n % USERS and carries the value n. */
async function appendEvents(cluster: Cluster, from: number, to: number): Promise<void> {
  await cluster.ensureTopics([{ name: 'events', partitions: PARTITIONS, config: {} }, { name: 'totals', partitions: PARTITIONS, config: {} }]);
  for (let i = from; i < to; i += 100) {
    await cluster.produce('events', Array.from({ length: Math.min(100, to - i) }, (_, j) => ({
      key: Buffer.from(`user-${(i + j) % USERS}`), value: long.serialize('events', i + j), timestamp: i + j, headers: [],
    })));
  }
}

/** Every update in "totals" a read_committed reader sees, partition by partition, in offset order. */
export async function committedUpdates(cluster: Cluster): Promise<Array<{ user: string; total: { count: number; sum: number } }>> {
  const updates: Array<{ user: string; total: { count: number; sum: number } }> = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const { latest } = await cluster.offsets('totals', p, 'read_committed');
    for (let offset = 0; offset < latest; ) {
      const { records, nextOffset } = await cluster.fetch('totals', p, offset, 1 << 20, 'read_committed');
      for (const r of records) updates.push({ user: r.key!.toString(), total: JSON.parse(r.value!.toString()) as { count: number; sum: number } });
      if (nextOffset <= offset) break;
      offset = nextOffset;
    }
  }
  return updates;
}

/** Each user's running totals of the events 0 up to `events`, as a fold over them in order gives them. */
export function referenceTotals(events: number): Map<string, Array<{ count: number; sum: number }>> {
  const totals = new Map<string, Array<{ count: number; sum: number }>>();
  for (let n = 0; n < events; n++) {
    const user = `user-${n % USERS}`;
    const seen = totals.get(user) ?? [];
    const last = seen[seen.length - 1] ?? { count: 0, sum: 0 };
    seen.push({ count: last.count + 1, sum: last.sum + n });
    totals.set(user, seen);
  }
  return totals;
}

/**
 * Runs the scenario in `dir` on `target` (default: the embedded engine), killing one worker per
 * entry of `killDelays` (ms after RUNNING); returns each user's committed totals.
 */
export async function runEosCrashScenario(dir: string, killDelays: readonly number[], target: CrashTarget = embeddedTarget(dir)) {
  const half = EVENTS / 2;
  await target.withCluster((cluster) => appendEvents(cluster, 0, half));
  const first = startWorker(dir, half, ...target.workerFlags);
  await first.caughtUp;
  first.child.kill('SIGKILL');
  await first.exited;
  await target.withCluster((cluster) => appendEvents(cluster, half, EVENTS));
  for (const delay of killDelays) {
    const worker = startWorker(dir, EVENTS, ...target.workerFlags);
    await worker.running;
    await new Promise((resolve) => setTimeout(resolve, delay));
    worker.child.kill('SIGKILL');
    await worker.exited;
  }
  const last = startWorker(dir, EVENTS, '--exit', ...target.workerFlags);
  const exitCode = await last.exited;
  const actual = new Map<string, Array<{ count: number; sum: number }>>();
  for (const { user, total } of await target.withCluster(committedUpdates)) actual.set(user, [...(actual.get(user) ?? []), total]);
  return { exitCode, expected: referenceTotals(EVENTS), actual };
}
