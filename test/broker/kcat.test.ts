import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KafkaBroker } from '../../src/broker/index.ts';
import { setLogLevel } from '../../src/common/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { commandExists } from '../support/global-setup.ts';
import { tempDir } from '../support/temp-dir.ts';

setLogLevel('warn');
const hasKcat = commandExists('kcat');
if (!hasKcat) console.log('kcat tests skipped: install the Debian package kcat (apt-get install kcat) to run them');

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function kcat(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe.skipIf(!hasKcat)('kcat (librdkafka) against kstreams broker', () => {
  it('produces keyed messages with headers and consumes them back; the log engine holds them', async () => {
    const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => engine.close(), () => broker.close());
    await engine.createTopic('clicks', { partitions: 2 });
    const bootstrap = `127.0.0.1:${port}`;
    const produced = await kcat(['-b', bootstrap, '-t', 'clicks', '-P', '-K', ':', '-H', 'origin=kcat'], 'ann:home\nbob:cart\nann:pay\n');
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await kcat(['-b', bootstrap, '-t', 'clicks', '-C', '-e', '-o', 'beginning', '-f', '%k=%s %h\\n']);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(['ann=home origin=kcat', 'ann=pay origin=kcat', 'bob=cart origin=kcat']);
    const inEngine = [...await engine.fetch('clicks', 0, 0), ...await engine.fetch('clicks', 1, 0)];
    expect(inEngine.map((r) => `${r.key?.toString()}=${r.value?.toString()}`).sort()).toEqual(['ann=home', 'ann=pay', 'bob=cart']);
    const listed = await kcat(['-b', bootstrap, '-L']);
    expect(listed.stdout).toContain('topic "clicks" with 2 partitions');
  }, 60_000);

  it('consumes with isolation.level=read_committed: committed transactions only, up to the open one', async () => {
    const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => engine.close(), () => broker.close());
    await engine.createTopic('ledger', { partitions: 1 });
    const write = async (transactionalId: string, values: string[], outcome: 'commit' | 'abort' | 'open') => {
      const producer = { transactionalId, ...await engine.initProducerId(transactionalId) };
      await engine.produce('ledger', values.map((v) => ({ key: null, value: Buffer.from(v), timestamp: 1, headers: [], partition: 0 })), { producer, addPartitions: true });
      if (outcome !== 'open') await engine.endTxn(producer, outcome === 'commit');
    };
    await write('t1', ['paid', 'shipped'], 'commit');
    await write('t2', ['refunded'], 'abort');
    await write('t3', ['delivered'], 'commit');
    await write('t4', ['lost'], 'open');
    const bootstrap = `127.0.0.1:${port}`;
    const read = (isolation: string) => kcat(['-b', bootstrap, '-t', 'ledger', '-C', '-e', '-o', 'beginning', '-X', `isolation.level=${isolation}`, '-f', '%s\\n']);
    const committed = await read('read_committed');
    expect(committed.code, committed.stderr).toBe(0);
    expect(committed.stdout.trim().split('\n')).toEqual(['paid', 'shipped', 'delivered']);
    const everything = await read('read_uncommitted');
    expect(everything.stdout.trim().split('\n')).toEqual(['paid', 'shipped', 'refunded', 'delivered', 'lost']);
  }, 60_000);

  it('produces with transactional.id (librdkafka\'s transactional producer): the records arrive committed', async () => {
    const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => engine.close(), () => broker.close());
    await engine.createTopic('receipts', { partitions: 1 });
    const bootstrap = `127.0.0.1:${port}`;
    const produced = await kcat(['-b', bootstrap, '-t', 'receipts', '-P', '-X', 'transactional.id=kcat-receipts'], 'r1\nr2\n');
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stderr).toContain('Transaction successfully committed');
    expect((await engine.fetch('receipts', 0, 0, { isolationLevel: 'read_committed' })).map((r) => r.value?.toString())).toEqual(['r1', 'r2']);
    expect(await engine.describeTransactions(['kcat-receipts'])).toMatchObject([{ state: 'CompleteCommit', partitions: [] }]);
  }, 60_000);
});
