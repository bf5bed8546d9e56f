/**
 * The crash scenario shared by the crash test and the soak script (test/soak/crash-soak.ts): a
 * worker process counts each user's events; it is killed with SIGKILL after committing and at
 * chosen moments while restoring and processing; a last run finishes. Returns what a reader of
 * the output ends with and what it should end with.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LogEngine, Serdes } from '../../../src/index.ts';

const long = Serdes.Long();
export const EVENTS = 4000;
export const USERS = 25;

export function startWorker(dir: string, ...flags: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/crash-worker.ts', dir, ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** Appends events number `from` up to `to` (exclusive), user = number % USERS; creates the topics first. */
export async function appendEvents(dir: string, from: number, to: number): Promise<void> {
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  if (from === 0) {
    await log.createTopic('events', { partitions: 3 });
    await log.createTopic('events-per-user', { partitions: 3 });
  }
  for (let i = from; i < to; i += 200) {
    await log.produce('events', Array.from({ length: 200 }, (_, j) => ({
      key: Buffer.from(`user-${(i + j) % USERS}`), value: long.serialize('events', i + j), timestamp: i + j, headers: [],
    })));
  }
  await log.close();
}

/** The last value per key of the output topic: what a reader of the changelog-like output ends with. */
export async function lastOutputs(dir: string): Promise<Map<string, { count: number; last: number }>> {
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  const last = new Map<string, { count: number; last: number }>();
  for (let p = 0; p < 3; p++) {
    const { latest } = await log.listOffsets('events-per-user', p);
    for (let offset = 0; offset < latest; ) {
      const page = await log.fetch('events-per-user', p, offset);
      for (const r of page) last.set(r.key!.toString(), JSON.parse(r.value!.toString()) as { count: number; last: number });
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  await log.close();
  return last;
}


/** Runs the whole scenario in `dir` with one kill per entry of `killDelays` (ms after RUNNING). */
export async function runCrashScenario(dir: string, killDelays: readonly number[]) {
  const half = EVENTS / 2;
  // 1. The first half is processed and committed; then the process dies and its memory with it.
  await appendEvents(dir, 0, half);
  const first = startWorker(dir);
  await first.caughtUp;
  first.child.kill('SIGKILL');
  await first.exited;
  // 2. The second half arrives; workers are killed at chosen moments while they restore and process.
  await appendEvents(dir, half, EVENTS);
  for (const delay of killDelays) {
    const worker = startWorker(dir);
    await worker.running;
    await new Promise((resolve) => setTimeout(resolve, delay));
    worker.child.kill('SIGKILL');
    await worker.exited;
  }
  // 3. A last run finishes the work and closes cleanly.
  const last = startWorker(dir, '--exit');
  const exitCode = await last.exited;
  const expected = new Map(Array.from({ length: USERS }, (_, u) => [`user-${u}`, { count: EVENTS / USERS, last: EVENTS - USERS + u }]));
  return { exitCode, expected, actual: await lastOutputs(dir) };
}
