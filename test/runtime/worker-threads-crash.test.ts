import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { KafkaBroker, LogEngine, Serdes } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * `kstreams run` with two stream threads in worker threads, killed with SIGKILL while it counts:
 * the restarted process restores what its workers' stores held and finishes with every count
 * exact (the count skips replays, so only lost state could make it wrong).
 */
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kstreams.js');
const APP = join(import.meta.dirname, 'fixtures', 'seen-per-user-threads-app.ts');
const long = Serdes.Long();
const PARTITIONS = 4;
const USERS = 40;
const EVENTS = 12_000;

function run(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'run', APP, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KSTREAMS_LOG_LEVEL: 'info' } });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function latestCounts(engine: LogEngine): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  for (let p = 0; p < PARTITIONS; p++) {
    for (const r of (await engine.fetchRecords('counts', p, 0, { maxBytes: 64 << 20 })).records) latest.set(r.key!.toString(), long.deserialize('counts', r.value)!);
  }
  return latest;
}

describe('worker threads: a process crash and restart', () => {
  it('a kstreams run process with two worker threads, killed mid-count, restarts and every count is exact', async () => {
    const dir = tempDir();
    const engine = await LogEngine.open({ dataDir: join(dir, 'log') });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    const children: ChildProcess[] = [];
    try {
      await engine.createTopic('events', { partitions: PARTITIONS });
      await engine.createTopic('counts', { partitions: PARTITIONS });
      const expected = new Map<string, number>();
      for (let sent = 0; sent < EVENTS; sent += 500) {
        await engine.produce('events', Array.from({ length: 500 }, (_, j) => {
          const user = `user-${(sent + j) % USERS}`;
          expected.set(user, (expected.get(user) ?? 0) + 1);
          return { key: Buffer.from(user), value: long.serialize('events', sent + j), timestamp: sent + j, headers: [] };
        }));
      }
      const args = ['--bootstrap-server', `127.0.0.1:${port}`, '--state-dir', join(dir, 'state'), '--config', 'commit.interval.ms=50', '--config', 'session.timeout.ms=3000', '--config', 'poll.ms=5'];
      const first = run(args);
      children.push(first.child);
      // Killed once some counts are out (and committed work exists) but before the end.
      await waitFor(async () => (await engine.fetchOffsets('seen-threads')).some((c) => c.offset > 0), () => `the first process to commit; its output:\n${first.output()}`, 60_000);
      expect(first.output()).not.toMatch(/share one event loop/);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      const committedAtKill = (await engine.fetchOffsets('seen-threads')).filter((c) => c.topic === 'events').reduce((sum, c) => sum + c.offset, 0);
      expect(committedAtKill).toBeLessThan(EVENTS);

      const second = run(args);
      children.push(second.child);
      await waitFor(async () => {
        const latest = await latestCounts(engine);
        return latest.size === USERS && [...expected].every(([user, count]) => latest.get(user) === count);
      }, () => `every user's count after the restart; output:\n${second.output()}`, 90_000);
      expect(await latestCounts(engine)).toEqual(expected);
    } finally {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        }
      }
      await broker.close();
      await engine.close();
    }
  }, 180_000);
});
