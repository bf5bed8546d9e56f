import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { LogEngine } from '../../src/log/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startBrokerProcess } from '../support/broker-process.ts';
import { runNode } from '../support/run-node.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kstreams.js');

describe('kstreams broker', () => {
  it('serves a data directory to a Kafka client until SIGTERM, then the records are in the directory', async () => {
    const dataDir = join(tempDir(), 'data');
    const { port, stop } = await startBrokerProcess(dataDir);
    const producer = new Kafka({ clientId: 'cli-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: 'auto-created', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    await producer.disconnect();
    expect(await stop()).toBe(0);
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
    for (const limit of ['--max-partitions-per-topic N', '--max-partitions-per-request N', '--max-open-files N', '--fetch-max-bytes N', '--max-queued-request-bytes N', '--max-unsent-response-bytes N', '--connections-max-idle-ms N', '--request-receive-timeout-ms N']) {
      expect(help.stdout).toContain(limit);
    }
    const bad = await runNode([BIN, 'broker', '--port', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a whole number');
  });
});
