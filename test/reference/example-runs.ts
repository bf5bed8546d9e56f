import fc from 'fast-check';
import { join } from 'node:path';
import { EmbeddedCluster, KafkaCluster } from '../../src/client/index.ts';
import type { Cluster, ClusterRecord } from '../../src/client/index.ts';
import { KafkaStreams, LogEngine, partitionForKey } from '../../src/index.ts';
import type { InputRecord } from '../../src/testing/index.ts';
import type { ExampleWorkload } from '../examples/workloads.ts';

/** Where example applications run: the embedded engine, or a Kafka-protocol cluster. */
export type Target = { readonly engineDir: string } | { readonly bootstrap: string };

/**
 * Event time of the generated inputs starts twelve hours ago, on an hour boundary (so windows
 * align as at 0): a real broker refuses timestamps more than an hour ahead of its clock and deletes
 * records older than their topic's retention (a week; a day more than the window for windowed
 * changelogs), and the longest input spans about ten hours.
 */
export const BASE_TIME = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 12 * 3_600_000;
const PARTITIONS = 2;

/** An example's input, serialized and partitioned, ready to be produced anywhere. */
export interface PreparedInput {
  /** The drawn input, as the workload's arbitrary made it. */
  readonly sample: readonly InputRecord[];
  readonly records: ReadonlyMap<string, ClusterRecord[]>;
  readonly count: number;
}

/**
 * A seeded sample of the workload's input, serialized with its topics' serdes: of twenty draws the
 * one reaching the most topics, then the longest, so every input of the example is exercised.
 */
export function prepareInput(workload: ExampleWorkload, seed: number): PreparedInput {
  const richness = (records: readonly InputRecord[]) => new Set(records.map((r) => r.topic)).size * 1_000_000 + records.length;
  const sample = fc.sample(workload.input, { seed, numRuns: 20 }).reduce((best, next) => (richness(next) > richness(best) ? next : best));
  const records = new Map<string, ClusterRecord[]>();
  sample.forEach((record, i) => {
    const serdes = workload.inputs[record.topic];
    if (serdes === undefined) throw new Error(`no serdes for input topic "${record.topic}"`);
    const key = record.key === null ? null : Buffer.from(serdes.keySerde.serialize(record.topic, record.key)!);
    const value = record.value === null ? null : Buffer.from(serdes.valueSerde.serialize(record.topic, record.value)!);
    const partition = key === null ? i % PARTITIONS : partitionForKey(key, PARTITIONS);
    const list = records.get(record.topic) ?? [];
    list.push({ key, value, timestamp: BASE_TIME + record.timestamp, headers: [], partition });
    records.set(record.topic, list);
  });
  return { sample, records, count: sample.length };
}

/**
 * The topics an application reads and writes that are not its own internal topics. Global
 * tables' topics are read whole by every instance and never committed to the group.
 */
export function externalTopics(workload: ExampleWorkload): { sources: string[]; globalSources: string[]; sinks: string[] } {
  const { topology } = workload.app();
  const internal = new Set(topology.internalTopics.keys());
  const description = topology.describe();
  const external = (nodes: ReadonlyArray<{ kind: string; topics: readonly string[] }>, kind: 'source' | 'sink') =>
    [...new Set(nodes.filter((n) => n.kind === kind).flatMap((n) => n.topics))].filter((t) => !internal.has(t));
  const nodes = description.subtopologies.flatMap((s) => s.nodes);
  return { sources: external(nodes, 'source'), globalSources: external(description.globalStores.map((g) => g.source), 'source'), sinks: external(nodes, 'sink') };
}

/** What a run left behind: per topic (outputs and changelogs), the latest value per key, hex-encoded. */
export type FinalTables = Map<string, Map<string, string | null>>;

/** How a run of an example ended. */
export interface ExampleRun {
  readonly tables: FinalTables;
  /** The application's internal topics (repartition, changelog, foreign-key), as the cluster created them. */
  readonly internalTopics: string[];
}

async function openCluster(target: Target, group: string): Promise<{ cluster: Cluster; engine?: LogEngine }> {
  if ('bootstrap' in target) return { cluster: await KafkaCluster.connect({ bootstrapServers: [target.bootstrap], clientId: `${group}-check`, groupId: `${group}-check` }) };
  const engine = await LogEngine.open({ dataDir: join(target.engineDir, 'log') });
  return { cluster: EmbeddedCluster.of(engine), engine };
}

/**
 * Creates the example's topics, produces its input, runs the application until every record of
 * every topic it consumes is committed, closes it cleanly and reads back its outputs and changelogs.
 */
export async function runExample(workload: ExampleWorkload, input: PreparedInput, target: Target, stateDir: string): Promise<ExampleRun> {
  const { applicationId, topology } = workload.app();
  const { cluster, engine } = await openCluster(target, applicationId);
  try {
    const { sources, globalSources, sinks } = externalTopics(workload);
    await cluster.ensureTopics([...sources, ...globalSources, ...sinks].map((name) => ({ name, partitions: PARTITIONS, config: {} })));
    for (const [topic, records] of input.records) await cluster.produce(topic, records);
    const config = {
      'application.id': applicationId, 'state.dir': stateDir, 'commit.interval.ms': 100, 'poll.ms': 20, 'statestore.cache.max.bytes': 0,
      ...('bootstrap' in target ? { 'bootstrap.servers': target.bootstrap } : {}),
    };
    const streams = new KafkaStreams(topology, config, engine === undefined ? {} : { engine });
    let failure: string | undefined;
    streams.onStateChange((state) => {
      if (state === 'ERROR') failure = `${applicationId} stopped with an error`;
    });
    await streams.start();
    try {
      await waitUntilConsumed(cluster, applicationId, sources, () => failure);
    } finally {
      await streams.close();
    }
    const internalTopics = await appTopics(cluster, applicationId, topology.internalTopics.keys(), [...topology.stores.keys()]);
    const tables: FinalTables = new Map();
    for (const topic of [...sinks, ...internalTopics.filter((t) => t.endsWith('-changelog'))]) tables.set(topic, await latestByKey(cluster, topic));
    return { tables, internalTopics };
  } finally {
    await cluster.close();
    await engine?.close();
  }
}

async function appTopics(cluster: Cluster, applicationId: string, internal: Iterable<string>, stores: readonly string[]): Promise<string[]> {
  const candidates = [...[...internal].map((name) => `${applicationId}-${name}`), ...stores.map((store) => `${applicationId}-${store}-changelog`)];
  const existing: string[] = [];
  for (const topic of candidates) if ((await cluster.partitionCount(topic)) !== undefined) existing.push(topic);
  return existing.sort();
}

/** Waits until the group has committed the end of every partition it reads, twice in a row. */
async function waitUntilConsumed(cluster: Cluster, group: string, sources: readonly string[], failure: () => string | undefined, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let settledOnce = false;
  for (;;) {
    const failed = failure();
    if (failed !== undefined) throw new Error(failed);
    const committed = await cluster.committedOffsets(group);
    const topics = new Set([...sources, ...committed.map((c) => c.topic)]);
    let behind = 0;
    const lagging: string[] = [];
    for (const topic of topics) {
      const partitions = (await cluster.partitionCount(topic)) ?? 0;
      for (let p = 0; p < partitions; p++) {
        const { latest } = await cluster.offsets(topic, p);
        const position = committed.find((c) => c.topic === topic && c.partition === p)?.offset ?? 0;
        if (latest > position) lagging.push(`${topic}-${p} at ${position} of ${latest}`);
        behind += Math.max(0, latest - position);
      }
    }
    if (behind === 0 && settledOnce) return;
    settledOnce = behind === 0;
    if (Date.now() > deadline) throw new Error(`${group}: ${behind} record(s) still unconsumed after ${timeoutMs} ms (${lagging.join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function latestByKey(cluster: Cluster, topic: string): Promise<Map<string, string | null>> {
  const latest = new Map<string, string | null>();
  const partitions = (await cluster.partitionCount(topic)) ?? 0;
  for (let p = 0; p < partitions; p++) {
    for (let offset = (await cluster.offsets(topic, p)).earliest; ;) {
      const { records: page, nextOffset } = await cluster.fetch(topic, p, offset, 1 << 20);
      if (nextOffset <= offset) break;
      for (const record of page) latest.set(record.key?.toString('hex') ?? 'null', record.value?.toString('hex') ?? null);
      offset = nextOffset;
    }
  }
  return latest;
}
