import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVING_FILE } from '../../src/cli/serving-file.ts';
import { tempDir } from '../support/temp-dir.ts';
import { cli } from './in-process-cli.ts';

const BIN = join(process.cwd(), 'bin/kstreams.js');
const README = readFileSync(join(process.cwd(), 'README.md'), 'utf8');

/** A README command line (after `npx kstreams`), split into arguments; the test checks the README holds it verbatim. */
function readmeCommand(line: string): string[] {
  expect(README).toContain(`npx kstreams ${line}`);
  return line.split(' ').map((arg) => arg.replace(/^'(.*)'$/, '$1'));
}

describe('feeding and watching a running application', () => {
  it('runs the README sequence: produce, run, produce more and consume while it runs, then reset', async () => {
    const dir = tempDir();
    const dataDir = ['--data-dir', join(dir, 'data')];
    const stateDir = join(dir, 'state');
    const order = (line: string) => {
      const match = /^echo '(.*)' \| npx kstreams (produce .*)$/m.exec(README.split('\n').find((l) => l.includes(line))!)!;
      return { stdin: `${match[1]}\n`, args: readmeCommand(match[2]!) };
    };
    for (const topic of ['orders', 'user-totals']) expect((await cli([...readmeCommand(`topics create ${topic} --partitions 4`), ...dataDir])).code).toBe(0);
    const first = order('"orderId":1');
    expect((await cli([...first.args, ...dataDir], first.stdin)).lines).toEqual(['produced 1 record(s) to orders']);

    const runArgs = readmeCommand('run topology-examples/user-spending.ts --config commit.interval.ms=1000 --config statestore.cache.max.bytes=0');
    const app = spawn(process.execPath, [BIN, ...runArgs, ...dataDir, '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    app.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => app.on('close', resolve));
    try {
      await expect.poll(() => output, { timeout: 60_000, interval: 100 }).toMatch(/user-spending REBALANCING -> RUNNING/);
      const announced = JSON.parse(readFileSync(join(dir, 'data', SERVING_FILE), 'utf8')) as { pid: number; port: number };
      expect(announced.pid).toBe(app.pid);

      for (const next of ['"orderId":2', '"orderId":3']) {
        const produce = order(next);
        expect((await cli([...produce.args, ...dataDir], produce.stdin)).lines).toEqual(['produced 1 record(s) to orders']);
      }
      const consumed = await cli([...readmeCommand('consume user-totals --print-key --value-serde long --follow --max-messages 3'), '--timeout-ms', '60000', ...dataDir]);
      expect(consumed.stderr).toBe('');
      expect(consumed.lines.sort()).toEqual(['alice\t1250', 'alice\t5249', 'bob\t450']);
      expect((await cli(['topics', 'list', ...dataDir])).lines).toContain('user-spending-spending-per-user-changelog');

      const whileRunning = await cli(['reset', 'user-spending', ...dataDir, '--state-dir', stateDir]);
      expect([whileRunning.code, whileRunning.stderr]).toEqual([1, expect.stringMatching(/application "user-spending" is running at data directory .* \(served by kstreams run user-spending, process \d+, on 127.0.0.1:\d+\) \(1 member\(s\) of its group\); stop every instance/)]);
      const sameGroup = await cli(['consume', 'orders', '--group', 'user-spending', ...dataDir]);
      expect([sameGroup.code, sameGroup.stderr]).toEqual([1, expect.stringMatching(/group "user-spending" has active members/)]);
    } finally {
      app.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, 'data', SERVING_FILE))).toBe(false);

    const reset = await cli([...readmeCommand('reset user-spending'), ...dataDir, '--state-dir', stateDir]);
    expect(reset.stderr).toBe('');
    expect(reset.stdout).toContain('deleting internal topics: user-spending-spending-per-user-changelog');
    expect(existsSync(join(stateDir, 'user-spending'))).toBe(false);
    expect((await cli(['topics', 'list', ...dataDir])).lines).toEqual(['orders', 'user-totals']);
    const again = await cli(['consume', 'orders', '--group', 'user-spending', ...dataDir]);
    expect(again.lines).toHaveLength(3);
  }, 120_000);

  it('ignores the announcement a killed process left behind and opens the directory itself', async () => {
    const dataDir = join(tempDir(), 'data');
    expect((await cli(['topics', 'create', 'events', '--data-dir', dataDir])).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    writeFileSync(join(dataDir, SERVING_FILE), JSON.stringify({ pid: dead, host: hostname(), port: 1, serves: 'kstreams run gone', since: new Date().toISOString() }));
    expect((await cli(['topics', 'list', '--data-dir', dataDir])).lines).toEqual(['events']);
  });
});
