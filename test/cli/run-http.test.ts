import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runNode } from '../support/run-node.ts';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(process.cwd(), 'bin/kstreams.js');

describe('kstreams run --http-port', () => {
  it('serves /metrics, /health, /ready and /topology on the port it prints, until SIGINT', async () => {
    const dir = tempDir();
    const dataDir = ['--data-dir', join(dir, 'data')];
    await runNode([BIN, 'topics', 'create', 'words', '--partitions', '2', ...dataDir]);
    await runNode([BIN, 'topics', 'create', 'shouted', '--partitions', '2', ...dataDir]);
    await runNode([BIN, 'produce', 'words', '--key-separator', ':', ...dataDir], 'a:hello\nb:streams\nc:world\n');

    const child = spawn(process.execPath, [BIN, 'run', 'test/cli/fixtures/echo-app.ts', '--state-dir', join(dir, 'state'), '--http-port', '0', ...dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let stdout = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const serving = /serving http:\/\/127\.0\.0\.1:(\d+) /.exec(stdout);
        // Ready once all three records went through (the app prints one line per record).
        if (serving !== null && (stdout.match(/processed /g) ?? []).length === 3) resolve(Number(serving[1]));
      });
      child.on('close', () => reject(new Error(`kstreams run exited early:\n${stdout}`)));
    });
    try {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^kafka_streams_stream_thread_metrics_process_total\{thread_id="echo-[^"]+-StreamThread-1"\} 3$/m);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/topology`)).text()).toContain('Source: KSTREAM-SOURCE-0000000000 (topics: [words])');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('rejects a port that is not a number, naming the flag', async () => {
    const result = await runNode([BIN, 'run', 'test/cli/fixtures/echo-app.ts', '--http-port', 'http', '--data-dir', tempDir()]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--http-port must be a whole number >= 0, got 'http'/);
  });
});
