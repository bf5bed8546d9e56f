import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { LogEngine, Serdes } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const long = Serdes.Long();
const EVENTS = 4000;
const USERS = 25;

function startWorker(dir: string, ...flags: string[]) {
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
async function appendEvents(dir: string, from: number, to: number): Promise<void> {
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
async function lastOutputs(dir: string): Promise<Map<string, { count: number; last: number }>> {
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

describe('a crash at any moment loses nothing', () => {
  it('after SIGKILLs at random points and a restart, every user ends with exactly its events counted (state rebuilt, output at least once)', async () => {
    // Each user's count must be exactly its number of events: a lost store would undercount, and
    // replays after a crash are skipped by the aggregation, so duplicates cannot hide a loss.
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 2 }), async (killDelays) => {
        const dir = tempDir();
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
        expect(await last.exited).toBe(0);
        const expected = new Map(Array.from({ length: USERS }, (_, u) => [`user-${u}`, { count: EVENTS / USERS, last: EVENTS - USERS + u }]));
        expect(await lastOutputs(dir)).toEqual(expected);
      }),
      { seed: 71, numRuns: 2 },
    );
  }, 120_000);
});
