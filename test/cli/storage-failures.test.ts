import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runNode, type NodeRun } from '../support/run-node.ts';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(process.cwd(), 'bin/kstreams.js');
/** An application with a state store (needs no topics to fail at start). */
const STATEFUL_APP = 'topology-examples/user-spending.ts';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The command failed with exit code 1 and said so in one line, without a stack trace. */
function expectOneLineFailure(result: NodeRun): string {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trim().split('\n').filter((line) => line.startsWith('kstreams: '));
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

/** A `.lock` as a live process (this one) on this host leaves it. */
function lockAsThisProcess(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: 'earlier' }));
}

describe('the command line at the edges of the file system', () => {
  it.skipIf(!existsSync('/proc/self'))('ends by itself with one line when the state directory is under /proc', async () => {
    // With its topics in place the application gets as far as opening its stores, where Node's
    // recursive mkdir used to loop forever on /proc, deaf to SIGINT.
    const data = join(tempDir(), 'data');
    for (const topic of ['orders', 'user-totals']) await runNode([BIN, 'topics', 'create', topic, '--data-dir', data]);
    const result = await runNode([BIN, 'run', STATEFUL_APP, '--state-dir', '/proc/kstreams-state', '--data-dir', data]);
    expect(expectOneLineFailure(result)).toBe('kstreams: cannot create /proc/kstreams-state/user-spending: its file system does not allow it '
      + '(a special file system such as /proc?); choose another state directory with "state.dir" (--state-dir)');
  });

  it('names the state directory when a file is in the way', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state'), 'not a directory');
    const result = await runNode([BIN, 'run', STATEFUL_APP, '--state-dir', join(dir, 'state'), '--data-dir', join(dir, 'data')]);
    expect(expectOneLineFailure(result)).toBe(`kstreams: cannot use ${join(dir, 'state', 'user-spending')}: a file is in the way where a directory must be; `
      + 'move it or choose another state directory with "state.dir" (--state-dir)');
  });

  it.skipIf(isRoot)('names a data directory it may not write', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'locked-up'));
    chmodSync(join(dir, 'locked-up'), 0o500);
    const result = await runNode([BIN, 'topics', 'list', '--data-dir', join(dir, 'locked-up', 'data')]);
    expect(expectOneLineFailure(result)).toBe(`kstreams: cannot write ${join(dir, 'locked-up', 'data')}: permission denied; `
      + 'make it writable for this user or choose another data directory with "log.dirs" (--data-dir)');
    chmodSync(join(dir, 'locked-up'), 0o700);
  });

  it('names the process that uses the data directory', async () => {
    const data = join(tempDir(), 'data');
    lockAsThisProcess(data);
    const result = await runNode([BIN, 'topics', 'list', '--data-dir', data]);
    expect(expectOneLineFailure(result)).toBe(`kstreams: data directory ${data} is in use by process ${process.pid} (running since earlier); stop it or choose another directory`);
  });

  it('stops a second instance of an application on the same state directory', async () => {
    const dir = tempDir();
    lockAsThisProcess(join(dir, 'state', 'user-spending'));
    const result = await runNode([BIN, 'run', STATEFUL_APP, '--state-dir', join(dir, 'state'), '--data-dir', join(dir, 'data')]);
    expect(expectOneLineFailure(result)).toBe(`kstreams: state directory ${join(dir, 'state', 'user-spending')} is in use by process ${process.pid} (running since earlier); `
      + 'stop it, or give each instance of "user-spending" its own "state.dir" (--state-dir)');
  });

  it.skipIf(!existsSync('/dev/full'))('says the disk is full, naming the file, and leaves the data directory whole and unlocked', async () => {
    const data = join(tempDir(), 'data');
    await runNode([BIN, 'topics', 'create', 'words', '--data-dir', data]);
    await runNode([BIN, 'produce', 'words', '--key-separator', ':', '--data-dir', data], 'a:before\n');
    const segment = join(data, 'words-0', '00000000000000000000.log');
    const before = readFileSync(segment);
    rmSync(segment);
    symlinkSync('/dev/full', segment);

    const full = await runNode([BIN, 'produce', 'words', '--key-separator', ':', '--data-dir', data], 'b:lost\n');
    expect(expectOneLineFailure(full)).toBe(`kstreams: words-0: cannot write ${segment}: no space left on the device; free some space or choose another data directory with "log.dirs" (--data-dir)`);
    expect(existsSync(join(data, '.lock'))).toBe(false);

    rmSync(segment);
    writeFileSync(segment, before);
    const consumed = await runNode([BIN, 'consume', 'words', '--print-key', '--data-dir', data]);
    expect(consumed.stdout.trim()).toBe('a\tbefore');
  });

  it('prints the stack trace with --verbose', async () => {
    const data = join(tempDir(), 'data');
    lockAsThisProcess(data);
    const result = await runNode([BIN, 'topics', 'list', '--verbose', '--data-dir', data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kstreams: data directory .* is in use by process/m);
    expect(result.stderr).toMatch(/^\s+at .*acquire .*dir-lock/m);
  });
});
