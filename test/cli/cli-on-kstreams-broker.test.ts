import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { startBrokerProcess, type BrokerProcess } from '../support/broker-process.ts';
import { clusterSuite } from './cluster-suite.ts';

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
});
