import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogEngine, Serdes } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The command sequence of the README's "The command line" section, run as written in a fresh
 * directory (`npx kstreams` is this checkout's bin): topics, produce, consume, describe, and `run`
 * of the user-spending example, whose totals must then be in `user-totals`. `kstreams broker`
 * (which serves until stopped, on a fixed port) is left out.
 */
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'kstreams.js');

function commandLines(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The command line'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split('\n').map((line) => line.replace(/\s+#[^'"]*$/, '').trim()).filter((line) => line !== '');
}

/** The line as a shell command run from `cwd`: this checkout's bin, example paths made absolute. */
function localized(line: string): string {
  return line.replaceAll('npx kstreams', `'${process.execPath}' '${bin}'`).replaceAll('topology-examples/', `${root}/topology-examples/`);
}

/** Runs `kstreams run ...` until its application is RUNNING and has committed, then stops it with SIGINT. */
function runUntilStopped(command: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `exec ${command}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('RUNNING') && !output.includes('PENDING_SHUTDOWN')) child.kill('SIGINT');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ended with ${code}:\n${output}`));
    });
  });
}

async function totals(dataDir: string): Promise<Map<string, number>> {
  const log = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
  try {
    const result = new Map<string, number>();
    const { latest } = await log.listOffsets('user-totals', 0);
    for (const record of await log.fetch('user-totals', 0, 0, { maxBytes: 1 << 20 })) {
      if (record.offset < latest) result.set(record.key!.toString(), Serdes.Long().deserialize('user-totals', record.value)!);
    }
    return result;
  } finally {
    await log.close();
  }
}

describe('the README command line', () => {
  it('runs as written, and the application totals the orders produced', async () => {
    const cwd = tempDir();
    const lines = commandLines();
    expect(lines.some((line) => line.includes('kstreams run'))).toBe(true);
    for (const line of lines) {
      if (line.includes('kstreams broker')) continue;
      if (line.includes('kstreams run')) {
        // Output is committed every 30 s or on close; a stopped run closes, and a new run resumes.
        for (let attempt = 0; attempt < 5 && (await totals(join(cwd, 'kstreams-data'))).size < 2; attempt++) {
          await runUntilStopped(localized(line), cwd);
        }
        continue;
      }
      const result = spawnSync('sh', ['-c', localized(line)], { cwd, encoding: 'utf8', timeout: 60_000 });
      expect(result.status, `${line}\n${result.stdout}${result.stderr}`).toBe(0);
    }
    expect(await totals(join(cwd, 'kstreams-data'))).toEqual(new Map([['alice', 500], ['bob', 700]]));
  }, 240_000);
});
