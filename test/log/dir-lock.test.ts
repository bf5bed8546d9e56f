import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LogEngine } from '../../src/log/index.ts';
import { isStreamsError } from '../../src/common/index.ts';
import { loggedLines } from '../support/log-capture.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Runs a child Node process that opens the engine on `dir`; resolves with its stderr and exit code. */
function openInChild(dir: string): Promise<{ code: number | null; output: string }> {
  const script = `import { LogEngine } from ${JSON.stringify(join(process.cwd(), 'src/log/index.ts'))};
    try { await LogEngine.open({ dataDir: ${JSON.stringify(dir)} }); process.exit(0); } catch (e) { console.error(String(e)); process.exit(3); }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the data directory lock', () => {
  it('stops another process from opening the directory and names the holder\'s pid', async () => {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: dir });
    const child = await openInChild(dir);
    expect(child.code).toBe(3);
    expect(child.output).toContain(`in use by process ${process.pid}`);
    await log.close();
    expect((await openInChild(dir)).code).toBe(0);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: 'earlier' }));
    const log = await LogEngine.open({ dataDir: dir });
    await log.close();
    expect(loggedLines('warn').map((line) => line.message)).toEqual([`taking over stale lock ${join(dir, '.lock')} left by process ${2 ** 22 + 12345}, which is no longer running`]);
  });

  it('refuses a second open in the same process', async () => {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: dir });
    await expect(LogEngine.open({ dataDir: dir })).rejects.toSatisfy((e: unknown) => isStreamsError(e, 'DATA_DIR_LOCKED'));
    await log.close();
  });
});
