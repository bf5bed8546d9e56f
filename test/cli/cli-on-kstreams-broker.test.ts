import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokerProcess, type BrokerProcess } from '../support/broker-process.ts';
import { clusterSuite } from './cluster-suite.ts';
import { cli } from './in-process-cli.ts';

describe('kstreams topics|produce|consume|reset --bootstrap-server on kstreams broker', () => {
  let broker: BrokerProcess;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kstreams-cli-broker-'));
    broker = await startBrokerProcess(join(dir, 'data'), 1);
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  clusterSuite(() => broker.bootstrap, 'kb');

  it('reaches the directory the broker holds through the port it announces there', async () => {
    const dataDir = ['--data-dir', join(dir, 'data')];
    expect((await cli(['topics', 'create', 'kb-served', ...dataDir])).lines).toEqual(['created topic kb-served with 1 partition(s)']);
    await cli(['produce', 'kb-served', ...dataDir], 'one\n');
    expect((await cli(['consume', 'kb-served', '--bootstrap-server', broker.bootstrap])).lines).toEqual(['one']);
    expect((await cli(['topics', 'list', ...dataDir])).lines).toContain('kb-served');
  });
});
