import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { LogEngine } from '../../src/log/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { runNode } from '../support/run-node.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kstreams.js');

describe('kstreams broker', () => {
  it('serves a data directory to a Kafka client until SIGTERM, then the records are in the directory', async () => {
    const dataDir = join(tempDir(), 'data');
    const child = spawn(process.execPath, [BIN, 'broker', '--port', '0', '--data-dir', dataDir, '--partitions', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /on 127\.0\.0\.1:(\d+)/.exec(output);
        if (match !== null) resolve(Number(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`broker exited early (${code}): ${output}`)));
    });
    const producer = new Kafka({ clientId: 'cli-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: 'auto-created', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    await producer.disconnect();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const engine = await LogEngine.open({ dataDir });
    expect(engine.partitionCount('auto-created')).toBe(2);
    const records = [...await engine.fetch('auto-created', 0, 0), ...await engine.fetch('auto-created', 1, 0)];
    expect(records.map((r) => r.value?.toString()).sort()).toEqual(['1', '2']);
    await engine.close();
  }, 30_000);

  it('explains its options with --help and refuses bad ones with exit code 2', async () => {
    const help = await runNode([BIN, 'broker', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--port N');
    const bad = await runNode([BIN, 'broker', '--port', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a whole number');
  });
});
