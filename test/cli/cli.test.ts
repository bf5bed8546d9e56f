import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runNode } from '../support/run-node.ts';
import { tempDir } from '../support/temp-dir.ts';
import { cli } from './in-process-cli.ts';

const BIN = join(process.cwd(), 'bin/kstreams.js');

const run = (args: string[], stdin = '') => runNode([BIN, ...args], stdin);

describe('the kstreams command', () => {
  it('explains itself and each command with --help', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/commands:[\s\S]*topics[\s\S]*produce[\s\S]*consume/);
    for (const command of ['topics', 'produce', 'consume', 'describe', 'reset', 'run', 'broker']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`usage: kstreams ${command}`);
    }
  });

  it('answers bad arguments with exit code 2 and one clear line', async () => {
    const dataDir = tempDir();
    const unknownFlag = await run(['topics', 'list', '--bogus', '--data-dir', dataDir]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr.trim()).toBe("kstreams: Unknown option '--bogus'; run `kstreams topics --help`");
    const badNumber = await run(['topics', 'create', 't', '--partitions', 'many', '--data-dir', dataDir]);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/--partitions must be a whole number >= 1, got 'many'/);
    const unknownCommand = await run(['frobnicate']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command 'frobnicate'/);
    const badSerde = await cli(['consume', 'orders', '--value-serde', 'float', '--data-dir', dataDir]);
    expect(badSerde.code).toBe(2);
    expect(badSerde.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kstreams: --value-serde must be one of string, long, integer, double, json, bytes, base64, avro, .*; got 'float'$/)]);
    const both = await cli(['topics', 'list', '--data-dir', dataDir, '--bootstrap-server', '127.0.0.1:9']);
    expect([both.code, both.stderr.trim()]).toEqual([2, 'kstreams: --bootstrap-server and --data-dir exclude each other: pick the cluster or the embedded engine']);
    const badTopic = await run(['topics', 'create', 'no spaces', '--data-dir', dataDir]);
    expect(badTopic.code).toBe(1);
    expect(badTopic.stderr).toMatch(/invalid topic name "no spaces"/);
  });

  it('creates, lists, describes and deletes topics, and round-trips keyed lines', async () => {
    const dataDir = tempDir();
    expect((await run(['topics', 'create', 'orders', '--partitions', '3', '--config', 'retention.ms=3600000', '--data-dir', dataDir])).code).toBe(0);
    expect((await run(['topics', 'list', '--data-dir', dataDir])).stdout.trim()).toBe('orders');
    const describe = await run(['topics', 'describe', 'orders', '--data-dir', dataDir]);
    expect(describe.stdout).toContain('PartitionCount: 3');
    expect(describe.stdout).toContain('retention.ms=3600000');
    const produced = await run(['produce', 'orders', '--key-separator', ':', '--data-dir', dataDir], 'alice:5\nbob:7\nalice:9\n');
    expect(produced.stdout.trim()).toBe('produced 3 record(s) to orders');
    const consumed = await run(['consume', 'orders', '--print-key', '--data-dir', dataDir]);
    const lines = consumed.stdout.trim().split('\n').sort();
    expect(lines).toEqual(['alice\t5', 'alice\t9', 'bob\t7']);
    const limited = await run(['consume', 'orders', '--max-messages', '1', '--data-dir', dataDir]);
    expect(limited.stdout.trim().split('\n')).toHaveLength(1);
    expect((await run(['topics', 'delete', 'orders', '--data-dir', dataDir])).code).toBe(0);
    expect((await run(['topics', 'list', '--data-dir', dataDir])).stdout.trim()).toBe('');
  }, 120_000);

  it('describes an application module as Kafka text or Mermaid, and says what to export when it cannot', async () => {
    const text = await run(['describe', 'topology-examples/word-count.ts']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Topologies:\n   Sub-topology: 0\n    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])');
    const mermaid = await run(['describe', 'topology-examples/word-count.ts', '--mermaid']);
    expect(mermaid.stdout.startsWith('flowchart TD\n')).toBe(true);
    const app = await run(['describe', 'test/cli/fixtures/echo-app.ts']);
    expect(app.code).toBe(0);
    expect(app.stdout).toContain('Source: KSTREAM-SOURCE-0000000000 (topics: [words])');
    const none = await run(['describe', 'topology-examples/demo/progress.ts']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/exports no Topology; export one as the default export/);
  });

  it('produces JSON lines with keys, values and timestamps, and consumes them back as JSON', async () => {
    const dataDir = tempDir();
    await run(['topics', 'create', 'events', '--data-dir', dataDir]);
    const lines = '{"key":"a","value":{"n":1},"timestamp":1700000000000}\n{"value":"plain"}\n';
    expect((await run(['produce', 'events', '--format', 'json', '--data-dir', dataDir], lines)).code).toBe(0);
    const consumed = await run(['consume', 'events', '--format', 'json', '--data-dir', dataDir]);
    const records = consumed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: string | null; value: string; timestamp: number; offset: number });
    expect(records[0]).toEqual({ partition: 0, offset: 0, timestamp: 1700000000000, key: 'a', value: '{"n":1}' });
    expect([records[1]!.key, records[1]!.value, records[1]!.offset]).toEqual([null, 'plain', 1]);
    const text = await run(['consume', 'events', '--print-timestamp', '--max-messages', '1', '--data-dir', dataDir]);
    expect(text.stdout.trim()).toBe('1700000000000\t{"n":1}');
    const bad = await run(['produce', 'events', '--format', 'json', '--data-dir', dataDir], '{"key":"x"}\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 1: needs a "value" field/);
  });
});
