import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode } from '../support/run-node.ts';
import { tempDir } from '../support/temp-dir.ts';

const BIN = join(process.cwd(), 'bin/kstreams.js');

describe('kstreams run', () => {
  it('runs an application module until SIGINT, then commits and closes so its output can be read', async () => {
    const dir = tempDir();
    const dataDir = ['--data-dir', join(dir, 'data')];
    await runNode([BIN, 'topics', 'create', 'words', '--partitions', '2', ...dataDir]);
    await runNode([BIN, 'topics', 'create', 'shouted', '--partitions', '2', ...dataDir]);
    await runNode([BIN, 'produce', 'words', '--key-separator', ':', ...dataDir], 'a:hello\nb:streams\nc:world\n');

    const child = spawn(process.execPath, [BIN, 'run', 'test/cli/fixtures/echo-app.ts', '--state-dir', join(dir, 'state'), '--log-format', 'json', ...dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if ((stdout.match(/processed /g) ?? []).length === 3) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('echo CREATED -> REBALANCING');
    expect(stdout).toContain('echo PENDING_SHUTDOWN -> NOT_RUNNING');
    const logLines = stderr.trim().split('\n').map((line) => JSON.parse(line) as { level: string; component: string; msg: string });
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'info', component: 'runtime', msg: 'state REBALANCING -> RUNNING' }));

    const consumed = await runNode([BIN, 'consume', 'shouted', '--print-key', ...dataDir]);
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(['a\tHELLO', 'b\tSTREAMS', 'c\tWORLD']);
  });

  it('reads a Java properties file given with --config, and names the key it cannot run', async () => {
    const dir = tempDir();
    const file = join(dir, 'app.properties');
    writeFileSync(file, '# from a Kafka Streams app\ncommit.interval.ms=1000\ntask.assignor.class=com.example.MyAssignor\n');
    const result = await runNode([BIN, 'run', 'test/cli/fixtures/echo-app.ts', '--config', file, '--data-dir', join(dir, 'data'), '--state-dir', join(dir, 'state')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/"task.assignor.class" is not supported: kstreams assigns tasks/);
  });

  it('says what the module must export', async () => {
    const result = await runNode([BIN, 'run', 'topology-examples/demo/progress.ts', '--data-dir', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must default-export \{ applicationId, topology, config\? \}/);
  });
});
