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

/** Event `n` belongs to user n % USERS and carries the value n. */
async function appendEvents(dir: string, from: number, to: number): Promise<void> {
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  if (from === 0) {
    await log.createTopic('events', { partitions: PARTITIONS });
    await log.createTopic('totals', { partitions: PARTITIONS });
  }
  for (let i = from; i < to; i += 100) {
    await log.produce('events', Array.from({ length: Math.min(100, to - i) }, (_, j) => ({
      key: Buffer.from(`user-${(i + j) % USERS}`), value: long.serialize('events', i + j), timestamp: i + j, headers: [],
    })));
  }
  await log.close();
}

/** Every update in "totals" a read_committed reader sees, partition by partition, in offset order. */
export async function committedUpdates(log: LogEngine): Promise<Array<{ user: string; total: { count: number; sum: number } }>> {
  const updates: Array<{ user: string; total: { count: number; sum: number } }> = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const { latest } = await log.listOffsets('totals', p, { isolationLevel: 'read_committed' });
    for (let offset = 0; offset < latest; ) {
      const { records, nextOffset } = await log.fetchRecords('totals', p, offset, { isolationLevel: 'read_committed' });
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

/** Runs the scenario in `dir`, killing one worker per entry of `killDelays` (ms after RUNNING); returns each user's committed totals. */
export async function runEosCrashScenario(dir: string, killDelays: readonly number[]) {
  const half = EVENTS / 2;
  await appendEvents(dir, 0, half);
  const first = startWorker(dir, half);
  await first.caughtUp;
  first.child.kill('SIGKILL');
  await first.exited;
  await appendEvents(dir, half, EVENTS);
  for (const delay of killDelays) {
    const worker = startWorker(dir, EVENTS);
    await worker.running;
    await new Promise((resolve) => setTimeout(resolve, delay));
    worker.child.kill('SIGKILL');
    await worker.exited;
  }
  const last = startWorker(dir, EVENTS, '--exit');
  const exitCode = await last.exited;
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  const actual = new Map<string, Array<{ count: number; sum: number }>>();
  try {
    for (const { user, total } of await committedUpdates(log)) actual.set(user, [...(actual.get(user) ?? []), total]);
  } finally {
    await log.close();
  }
  return { exitCode, expected: referenceTotals(EVENTS), actual };
}
