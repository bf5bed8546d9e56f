import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runNode } from '../support/run-node.ts';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(process.cwd(), 'bin/kstreams.js');

/** Resolves once `check` holds, polling every 50 ms. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('signals', () => {
  it('SIGINT ends a command that waits for input, with the exit code of an interrupt', async () => {
    const data = join(tempDir(), 'data');
    // The topic exists, so produce opens the directory and waits for its input.
    expect((await runNode([BIN, 'topics', 'create', 'words', '--data-dir', data])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'produce', 'words', '--data-dir', data], { stdio: ['pipe', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await until(() => existsSync(join(data, '.lock')));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    child.stdin.destroy();
  });
});
