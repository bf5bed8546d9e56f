import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { consumeCommand } from '../../src/cli/consume-command.ts';
import { apis } from '../../src/protocol/index.ts';
import { RawClient } from '../broker/support/raw-client.ts';
import { cli } from './in-process-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A `kstreams consume` left running until `stop()`, with the lines it printed so far. */
function runningConsume(args: readonly string[]) {
  const lines: string[] = [];
  const abort = new AbortController();
  const exit = consumeCommand([...args], (line) => lines.push(line), abort.signal);
  return { lines, exit, stop: async () => (abort.abort(), exit) };
}

/** The group's state and how many members have an assignment, as DescribeGroups tells. */
async function describeGroup(bootstrap: string, group: string): Promise<{ state: string; assigned: number }> {
  const c = await RawClient.open(Number(bootstrap.split(':').at(-1)));
  try {
    const answer = await c.request(apis.describeGroups, 5, { groups: [group], includeAuthorizedOperations: false });
    const [described] = answer['groups'] as Array<{ groupState: string; members: Array<{ memberAssignment: Buffer }> }>;
    return { state: described!.groupState, assigned: described!.members.filter((m) => m.memberAssignment.length > 0).length };
  } finally {
    c.close();
  }
}

/**
 * The command line against a Kafka-protocol cluster, the same tests for `kstreams broker` and for
 * Apache Kafka: `bootstrap()` is the running cluster's address. Topic names carry `prefix` so the
 * tests of one file share one cluster.
 */
export function clusterSuite(bootstrap: () => string, prefix: string): void {
  const on = () => ['--bootstrap-server', bootstrap()];

  it('creates, lists, describes and deletes topics with configs', async () => {
    const topic = `${prefix}-topics`;
    const created = await cli(['topics', 'create', topic, '--partitions', '3', '--config', 'retention.ms=3600000', '--config', 'cleanup.policy=compact', ...on()]);
    expect(created.stderr).toBe('');
    expect(created.lines).toEqual([`created topic ${topic} with 3 partition(s)`]);
    expect((await cli(['topics', 'list', ...on()])).lines).toContain(topic);
    const described = await cli(['topics', 'describe', topic, ...on()]);
    expect(described.lines[0]).toMatch(new RegExp(`^Topic: ${topic}\tPartitionCount: 3\tConfigs: .*cleanup.policy=compact`));
    expect(described.lines[0]).toContain('retention.ms=3600000');
    expect(described.lines.slice(1)).toEqual([0, 1, 2].map((p) => `\tTopic: ${topic}\tPartition: ${p}\tLogStartOffset: 0\tHighWatermark: 0`));
    expect((await cli(['topics', '--describe', '--topic', topic, ...on()])).lines).toEqual(described.lines);
    const again = await cli(['topics', '--create', '--topic', topic, ...on()]);
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/TOPIC_ALREADY_EXISTS/)]);
    expect((await cli(['topics', 'delete', topic, ...on()])).lines).toEqual([`deleted topic ${topic}`]);
    const missing = await cli(['topics', 'describe', `${prefix}-never-created`, ...on()]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/does not exist/)]);
  });

  it('produces with keys, headers and partitions, and prints numbers and windowed keys as people read them', async () => {
    const topic = `${prefix}-numbers`;
    await cli(['topics', 'create', topic, '--partitions', '2', ...on()]);
    const produced = await cli(['produce', topic, '--key-separator', ':', '--value-serde', 'long', '--partition', '1', '--header', 'source=cli', ...on()], 'alice:1250\nbob:-7\nalice:9007199254740993\n');
    expect(produced.lines).toEqual([`produced 3 record(s) to ${topic}`]);
    const consumed = await cli(['consume', topic, '--partition', '1', '--offset', '1', '--value-serde', 'long', '--print-key', '--print-offset', '--print-headers', ...on()]);
    expect(consumed.lines).toEqual(['1:1\tsource:cli\tbob\t-7', '1:2\tsource:cli\talice\t9007199254740993']);
    expect((await cli(['consume', topic, '--partition', '0', ...on()])).lines).toEqual([]);

    const windows = `${prefix}-windows`;
    await cli(['topics', 'create', windows, ...on()]);
    const serdes = ['--key-serde', 'windowed-string', '--window-size-ms', '60000', '--value-serde', 'double'];
    await cli(['produce', windows, '--key-separator', ' ', ...serdes, ...on()], '[alice@1700000000000/1700000060000] 12.5\n');
    expect((await cli(['consume', windows, '--print-key', ...serdes, ...on()])).lines).toEqual(['[alice@1700000000000/1700000060000]\t12.5']);
    const json = await cli(['consume', windows, '--format', 'json', ...serdes, ...on()]);
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ key: { key: 'alice', start: 1700000000000, end: 1700000060000 }, value: 12.5 });
    const asBytes = await cli(['consume', windows, '--print-key', '--key-serde', 'bytes', '--value-serde', 'bytes', ...on()]);
    expect(asBytes.lines).toEqual([`${Buffer.from('alice').toString('hex')}0000018bcfe56800\t4029000000000000`]);
    const wrong = await cli(['consume', windows, '--value-serde', 'integer', ...on()]);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringMatching(/value of .* partition 0 offset 0: 8 byte\(s\) 4029000000000000 are not a integer value/)]);
  });

  it('consumes from a group, from a timestamp, with --max-messages and either isolation level', async () => {
    const topic = `${prefix}-events`;
    await cli(['topics', 'create', topic, ...on()]);
    const lines = [1000, 2000, 3000].map((t) => JSON.stringify({ key: `k${t}`, value: { at: t }, timestamp: t, headers: { n: String(t) } })).join('\n');
    expect((await cli(['produce', topic, '--format', 'json', '--value-serde', 'json', ...on()], `${lines}\n`)).code).toBe(0);
    const fromTime = await cli(['consume', topic, '--from-timestamp', '2000', '--value-serde', 'json', '--print-timestamp', ...on()]);
    expect(fromTime.lines).toEqual(['2000\t{"at":2000}', '3000\t{"at":3000}']);
    const json = await cli(['consume', topic, '--format', 'json', '--value-serde', 'json', '--max-messages', '1', ...on()]);
    expect(JSON.parse(json.lines[0]!)).toEqual({ partition: 0, offset: 0, timestamp: 1000, headers: { n: '1000' }, key: 'k1000', value: { at: 1000 } });
    const group = `${prefix}-group`;
    expect((await cli(['consume', topic, '--group', group, '--max-messages', '2', '--print-key', ...on()])).lines).toEqual(['k1000\t{"at":1000}', 'k2000\t{"at":2000}']);
    expect((await cli(['consume', topic, '--group', group, '--print-key', '--isolation-level', 'read_committed', ...on()])).lines).toEqual(['k3000\t{"at":3000}']);
    expect((await cli(['consume', topic, '--group', group, ...on()])).lines).toEqual([]);
    const bad = await cli(['consume', topic, '--isolation-level', 'dirty', ...on()]);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "kstreams: --isolation-level must be read_uncommitted or read_committed, got 'dirty'"]);
  });

  it('shares a topic\'s partitions between two consumers of one --group, as kafka-console-consumer does; when one stops the other reads on from its commits', async () => {
    const topic = `${prefix}-shared`;
    const group = `${prefix}-sharing`;
    await cli(['topics', 'create', topic, '--partitions', '4', ...on()]);
    const args = [topic, '--group', group, '--follow', '--print-offset', ...on()];
    const first = runningConsume(args);
    await expect.poll(() => describeGroup(bootstrap(), group), { timeout: 30_000 }).toEqual({ state: 'Stable', assigned: 1 });
    const second = runningConsume(args);
    // Both have their share once the group is stable again: the first gave up its partitions when the rebalance began.
    await expect.poll(() => describeGroup(bootstrap(), group), { timeout: 30_000 }).toEqual({ state: 'Stable', assigned: 2 });
    const values = Array.from({ length: 40 }, (_, i) => `v${i}`);
    await cli(['produce', topic, '--key-separator', ':', ...on()], values.map((v, i) => `k${i}:${v}`).join('\n'));
    await expect.poll(() => first.lines.length + second.lines.length, { timeout: 30_000 }).toBe(40);
    const partitionsOf = (lines: string[]) => new Set(lines.map((line) => line.split(':')[0]));
    const [a, b] = [partitionsOf(first.lines), partitionsOf(second.lines)];
    expect([a.size, b.size]).toEqual([2, 2]);
    expect([...a].filter((p) => b.has(p))).toEqual([]);
    expect([...first.lines, ...second.lines].map((line) => line.split('\t')[1]).sort()).toEqual([...values].sort());

    // The second leaves: the first takes every partition over from the offsets the second committed.
    expect(await second.stop()).toBe(0);
    await expect.poll(() => describeGroup(bootstrap(), group), { timeout: 30_000 }).toEqual({ state: 'Stable', assigned: 1 });
    const more = values.map((v) => `${v}-again`);
    await cli(['produce', topic, '--key-separator', ':', ...on()], more.map((v, i) => `k${i}:${v}`).join('\n'));
    await expect.poll(() => first.lines.length + second.lines.length, { timeout: 30_000 }).toBe(80);
    expect(partitionsOf(first.lines).size).toBe(4);
    expect([...first.lines, ...second.lines].map((line) => line.split('\t')[1]).sort()).toEqual([...values, ...more].sort());
    expect(await first.stop()).toBe(0);
    // Both left and committed where they stopped: the group has nothing more to read.
    expect((await cli(['consume', topic, '--group', group, ...on()])).lines).toEqual([]);
  });

  it('resets an application: input offsets, internal topics and local state; --dry-run changes nothing', async () => {
    const app = `${prefix}-resetapp`;
    const input = `${prefix}-reset-input`;
    const internal = [`${app}-totals-changelog`, `${app}-KSTREAM-AGGREGATE-0000000003-repartition`];
    for (const topic of [input, ...internal]) await cli(['topics', 'create', topic, ...on()]);
    await cli(['produce', input, '--format', 'json', ...on()], ['a', 'b', 'c'].map((value, i) => JSON.stringify({ value, timestamp: (i + 1) * 1000 })).join('\n'));
    await cli(['produce', internal[1]!, ...on()], 'x\n');
    // The application "ran": its group committed past everything.
    expect((await cli(['consume', input, '--group', app, ...on()])).lines).toEqual(['a', 'b', 'c']);
    await cli(['consume', internal[1]!, '--group', app, ...on()]);
    const stateDir = tempDir();
    mkdirSync(join(stateDir, app, '0_0'), { recursive: true });
    writeFileSync(join(stateDir, app, '0_0', 'checkpoint'), '');

    const dry = await cli(['reset', app, '--dry-run', '--state-dir', stateDir, ...on()]);
    expect(dry.code).toBe(0);
    expect(dry.lines).toContain(`(dry run)   Topic: ${input}\tPartition: 0\tOffset: 0`);
    expect(dry.stdout).toContain(`deleting internal topics: ${[...internal].sort().join(', ')}`);
    expect((await cli(['topics', 'list', ...on()])).lines).toEqual(expect.arrayContaining(internal));
    expect(existsSync(join(stateDir, app))).toBe(true);

    const reset = await cli(['reset', app, '--state-dir', stateDir, ...on()]);
    expect(reset.code).toBe(0);
    expect(reset.lines.at(-1)).toBe(`reset application "${app}"`);
    expect(existsSync(join(stateDir, app))).toBe(false);
    await expect.poll(async () => (await cli(['topics', 'list', ...on()])).lines.filter((t) => internal.includes(t)), { timeout: 20_000 }).toEqual([]);
    expect((await cli(['consume', input, '--group', app, ...on()])).lines).toEqual(['a', 'b', 'c']);

    const toOffset = await cli(['reset', app, '--input-topics', input, '--to-offset', '2', '--state-dir', stateDir, ...on()]);
    expect(toOffset.lines).toContain(`  Topic: ${input}\tPartition: 0\tOffset: 2`);
    expect((await cli(['consume', input, '--group', app, ...on()])).lines).toEqual(['c']);
    const toTime = await cli(['reset', app, '--to-datetime', '1970-01-01T00:00:02Z', '--state-dir', stateDir, ...on()]);
    expect(toTime.lines).toContain(`  Topic: ${input}\tPartition: 0\tOffset: 1`);
    expect((await cli(['consume', input, '--group', app, ...on()])).lines).toEqual(['b', 'c']);
    const conflicting = await cli(['reset', app, '--to-latest', '--to-offset', '1', ...on()]);
    expect([conflicting.code, conflicting.stderr.trim()]).toEqual([2, 'kstreams: --to-latest and --to-offset exclude each other: pick one']);
  });
}
