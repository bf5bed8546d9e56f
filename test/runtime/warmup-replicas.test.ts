import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KafkaCluster } from '../../src/client/index.ts';
import { Consumed, KafkaStreams, Materialized, Produced, Serdes, StreamsBuilder, setLogLevel, setLogSink } from '../../src/index.ts';
import { startKafka } from '../reference/kit.ts';
import type { ReferenceKafka } from '../reference/kit.ts';
import { referenceBuild } from '../reference/reference-tools.ts';
import { startInProcessBroker } from '../support/in-process-broker.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

const str = Serdes.String();
const long = Serdes.Long();
const PARTITIONS = 6;
const USERS = 2_000;
const PRELOAD = 20_000;
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

const build = referenceBuild();
let kafka: ReferenceKafka | undefined;
beforeAll(async () => {
  if (build !== undefined) kafka = await startKafka(build);
}, 90_000);
afterAll(async () => {
  await kafka?.stop();
});

function spending(orders: string, totals: string) {
  const builder = new StreamsBuilder();
  builder.stream<string, number>(orders, Consumed.with(str, long))
    .groupByKey()
    .aggregate(() => 0, (_user, amount, total) => total + amount, Materialized.as<string, number>('totals-store').withValueSerde(long))
    .toStream()
    .to(totals, Produced.with(str, long));
  return builder.build();
}

/** The instance's active tasks and standby (warm-up) copies once it is RUNNING. */
const tasksOf = (streams: KafkaStreams) => (streams.state === 'RUNNING'
  ? { active: streams.metadataForLocalThreads().flatMap((t) => t.activeTasks).sort(), standby: streams.metadataForLocalThreads().flatMap((t) => t.standbyTasks).sort() }
  : { active: [], standby: [] });

async function endOffsets(client: KafkaCluster, topic: string): Promise<number[]> {
  return Promise.all(Array.from({ length: PARTITIONS }, async (_, p) => (await client.offsets(topic, p)).latest));
}

interface ScaleOut {
  readonly lines: readonly string[];
  /** Task ids c ran at the end, and every task id it held a standby (warm-up) copy of before. */
  readonly movedToC: readonly string[];
  readonly warmedOnC: ReadonlySet<string>;
  /** Tasks c ran before it had held a copy of them. */
  readonly activeBeforeWarmup: readonly string[];
  /** Changelog records restored per task when it became active. */
  readonly restored: ReadonlyMap<string, number>;
  /** Each task's state, in changelog records, when c joined. */
  readonly changelogPerTask: readonly number[];
  readonly balancedAfterMs: number;
  /** Per task (its output partition): the longest stretch without new output while orders kept arriving. */
  readonly longestPauseMs: readonly number[];
  /** How long each restore of a task that moved took, from the log. */
  readonly restoreMs: ReadonlyMap<string, number>;
}

/**
 * Two instances share six stateful tasks with a big-ish state (20,000 orders of 2,000 users); a
 * third joins while orders keep arriving; returns what happened until each instance runs two tasks.
 */
async function scaleOutUnderLoad(bootstrap: string, acceptableRecoveryLag: number): Promise<ScaleOut> {
  const dir = tempDir();
  const client = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'warmup-test', groupId: 'warmup-test' });
  cleanup.push(() => client.close());
  const applicationId = `warmup-${Math.random().toString(36).slice(2, 8)}`;
  const [orders, totals] = [`orders-${applicationId}`, `totals-${applicationId}`];
  await client.ensureTopics([{ name: orders, partitions: PARTITIONS, config: {} }, { name: totals, partitions: PARTITIONS, config: {} }]);
  const changelog = `${applicationId}-totals-store-changelog`;
  const config = (name: string) => ({
    'application.id': applicationId, 'bootstrap.servers': bootstrap, 'state.dir': join(dir, name), 'commit.interval.ms': 100, 'poll.ms': 10,
    'session.timeout.ms': 10_000, 'client.id': name, 'statestore.cache.max.bytes': 0,
    'acceptable.recovery.lag': acceptableRecoveryLag, 'internal.probing.rebalance.interval.ms': 2_000,
  });
  const lines: string[] = [];
  const previousSink = setLogSink((_level, _component, message) => void lines.push(message));
  cleanup.push(async () => setLogSink(previousSink));
  setLogLevel('info');
  cleanup.push(async () => setLogLevel('warn'));

  const instances = new Map<string, KafkaStreams>();
  cleanup.push(() => Promise.all([...instances.values()].map((s) => s.close())));
  for (const name of ['a', 'b']) {
    const streams = new KafkaStreams(spending(orders, totals), config(name));
    await streams.start();
    instances.set(name, streams);
  }
  await waitFor(() => ['a', 'b'].every((n) => tasksOf(instances.get(n)!).active.length === 3), 'three running tasks on each of a and b');

  const order = (seq: number) => ({ key: Buffer.from(`user-${seq % USERS}`), value: long.serialize('orders', seq % 100), timestamp: seq, headers: [] });
  for (let seq = 0; seq < PRELOAD; seq += 500) await client.produce(orders, Array.from({ length: 500 }, (_, i) => order(seq + i)));
  await waitFor(async () => (await endOffsets(client, changelog)).reduce((a, b) => a + b, 0) >= PRELOAD, 'the preloaded orders in the store\'s changelog', 60_000);
  const changelogPerTask = await endOffsets(client, changelog);

  // Orders keep arriving; the output's growth shows whether processing pauses.
  let sent = PRELOAD;
  let producing = true;
  const load = (async () => {
    while (producing) {
      await client.produce(orders, Array.from({ length: 10 }, (_, i) => order(sent + i)));
      sent += 10;
    }
  })();
  cleanup.push(async () => {
    producing = false;
    await load.catch(() => undefined);
  });
  await waitFor(() => sent > PRELOAD + 300, 'orders under way');

  // From before c joins until the group is balanced: c's tasks, and each output partition's longest stretch without growth.
  lines.length = 0;
  const c = new KafkaStreams(spending(orders, totals), config('c'));
  const warmedOnC = new Set<string>();
  const activeBeforeWarmup: string[] = [];
  const lastOutput = await endOffsets(client, totals);
  const lastGrowthAt = lastOutput.map(() => Date.now());
  const longestPauseMs = lastOutput.map(() => 0);
  const sample = async () => {
    const onC = tasksOf(c);
    for (const id of onC.standby) warmedOnC.add(id);
    for (const id of onC.active) if (!warmedOnC.has(id) && !activeBeforeWarmup.includes(id)) activeBeforeWarmup.push(id);
    const output = await endOffsets(client, totals);
    const now = Date.now();
    output.forEach((end, p) => {
      longestPauseMs[p] = Math.max(longestPauseMs[p]!, now - lastGrowthAt[p]!);
      if (end <= lastOutput[p]!) return;
      lastOutput[p] = end;
      lastGrowthAt[p] = now;
    });
  };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const joinedAt = Date.now();
  await c.start();
  instances.set('c', c);
  await waitFor(() => ['a', 'b', 'c'].every((n) => tasksOf(instances.get(n)!).active.length === 2),
    () => `two running tasks on each instance; c: ${JSON.stringify(tasksOf(c))}; log:\n${lines.join('\n')}`, 60_000);
  sampling = false;
  await sampler;
  await sample(); // the state the wait ended on
  const balancedAfterMs = Date.now() - joinedAt;
  producing = false;
  await load;

  const restored = new Map<string, number>();
  const restoreMs = new Map<string, number>();
  for (const line of lines) {
    const match = /task (0_\d): restored "totals-store" from .*: (\d+) records in (\d+) ms/.exec(line);
    if (match === null) continue;
    restored.set(match[1]!, (restored.get(match[1]!) ?? 0) + Number(match[2]));
    restoreMs.set(match[1]!, (restoreMs.get(match[1]!) ?? 0) + Number(match[3]));
  }
  return { lines, movedToC: tasksOf(c).active, warmedOnC, activeBeforeWarmup, restored, restoreMs, changelogPerTask, balancedAfterMs, longestPauseMs };
}

const stateOf = (run: ScaleOut, taskId: string) => run.changelogPerTask[Number(taskId.split('_')[1])]!;

function report(what: string, run: ScaleOut): void {
  const pause = (id: string) => run.longestPauseMs[Number(id.split('_')[1])]!;
  const stayed = Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`).filter((id) => !run.movedToC.includes(id));
  console.log(`${what}: c balanced after ${run.balancedAfterMs} ms; moved to c: ${run.movedToC.map((id) => `${id} (restored ${run.restored.get(id) ?? 0} ` +
    `of ${stateOf(run, id)} records in ${run.restoreMs.get(id) ?? 0} ms, longest output pause ${pause(id)} ms)`).join(', ')}; ` +
    `longest output pause of the tasks that stayed: ${Math.max(...stayed.map(pause))} ms`);
}

const inProcessBroker = async () => (await startInProcessBroker(tempDir(), cleanup)).bootstrap;
const targets = [
  { name: 'kstreams broker', skip: false, bootstrap: inProcessBroker },
  { name: 'Apache Kafka', skip: build === undefined, bootstrap: async () => kafka!.bootstrap },
];

describe.each(targets)('warm-up replicas and probing rebalances (KIP-441) on $name', ({ name: targetName, skip, bootstrap }) => {
  it.skipIf(skip)('a third instance joining under load first warms up the tasks it should get, which move only once it has caught up: no restore from scratch', async () => {
    // A copy may lag its changelog by 500 records and still take its task over; each task's state is ~3,300 records.
    const run = await scaleOutUnderLoad(await bootstrap(), 500);
    // The leader kept the tasks on their caught-up owners and gave c warm-up copies first…
    expect(run.lines.some((line) => /stay on a caught-up instance while their new owner warms up; warm-up copies: 0_\d on /.test(line))).toBe(true);
    expect(run.lines.some((line) => line.startsWith('probing rebalance'))).toBe(true);
    // …so every task c runs now was a warm-up copy there before it became active…
    expect(run.activeBeforeWarmup).toEqual([]);
    expect(run.movedToC.every((id) => run.warmedOnC.has(id))).toBe(true);
    // …and taking it over restored at most the changelog's tail past the warm-up, never the whole state.
    for (const id of run.movedToC) {
      expect(stateOf(run, id)).toBeGreaterThan(2_000);
      expect(run.restored.get(id) ?? 0).toBeLessThan(stateOf(run, id) / 10);
    }
    report(`${targetName}: warm-up scale-out under load (acceptable.recovery.lag 500)`, run);
  }, 120_000);

  it.skipIf(skip || targetName !== 'kstreams broker')('with an acceptable.recovery.lag above the state\'s size, c counts as caught up at once: its tasks move without waiting for a probing interval and restore from scratch', async () => {
    const run = await scaleOutUnderLoad(await bootstrap(), 1_000_000);
    // (When the leader's end offsets were older than the rebalance, it first keeps the tasks where they are and looks again at once.)
    expect(run.lines.some((line) => line.startsWith('probing rebalance: warm-up copies may have caught up'))).toBe(false);
    for (const id of run.movedToC) expect(run.restored.get(id)).toBeGreaterThan(stateOf(run, id) / 2);
    report(`${targetName}: same scale-out without warm-ups (acceptable.recovery.lag 1000000)`, run);
  }, 120_000);
});
