import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { StreamsError, getLogger, systemClock } from '../common/index.ts';
import type { Cluster, IsolationLevel } from '../client/index.ts';
import type { StateStore } from '../state/index.ts';
import type { ClusterCollector } from './cluster-collector.ts';
import type { ResolvedConfig } from './streams-config.ts';
import { StreamTask } from './task/stream-task.ts';
import type { TaskTopology } from './task/task-topology.ts';
import { FETCH_BYTES } from './fetch-size.ts';

const log = getLogger('runtime');

/**
 * The task of an instance's global stores (global tables): it reads every partition of their
 * topics, from the earliest offset — the topics are their changelogs — and is kept current by the
 * stream thread that holds it. One thread per instance holds it; a removed thread hands it on.
 *
 * @example
 * const global = await GlobalTaskRunner.start(plan.global, config, cluster, collector, isolation);
 * const stores = global.stores; // shared with every task of the instance
 * await global.fetch(); // each loop iteration
 */
export class GlobalTaskRunner {
  private constructor(
    private readonly task: StreamTask,
    private readonly positions: Array<{ topic: string; partition: number; offset: number }>,
    private readonly cluster: Cluster,
    private readonly isolation: IsolationLevel | undefined,
    /** The global stores by name. */
    readonly stores: ReadonlyMap<string, StateStore>,
  ) {}

  /** Builds the global stores from their topics (every record up to now) before any other task runs. */
  static async start(topology: TaskTopology, config: ResolvedConfig, cluster: Cluster, collector: ClusterCollector, isolation: IsolationLevel | undefined): Promise<GlobalTaskRunner> {
    rmSync(join(config.stateDir, config.applicationId, `${topology.subtopologyId}_0`), { recursive: true, force: true });
    const task = new StreamTask({ topology, partition: 0, config: config.raw, collector, clock: systemClock, stateDirRoot: config.stateDir });
    const positions: Array<{ topic: string; partition: number; offset: number }> = [];
    for (const node of topology.nodes) {
      if (node.kind !== 'source') continue;
      for (const topic of node.topics.map((t) => topology.topicName(t))) {
        const count = await cluster.partitionCount(topic);
        if (count === undefined) {
          throw new StreamsError('UNKNOWN_TOPIC', `global table topic "${topic}" does not exist; create it first (e.g. \`kstreams topics create ${topic} ${cluster.commandLineTarget}\`)`, { location: { topic } });
        }
        for (let partition = 0; partition < count; partition++) positions.push({ topic, partition, offset: (await cluster.offsets(topic, partition, isolation)).earliest });
      }
    }
    await task.initializeIfNeeded();
    task.completeRestoration();
    const stores = new Map(topology.stores.map((s) => [s.builder.name, task.getStore(s.builder.name)!]));
    const runner = new GlobalTaskRunner(task, positions, cluster, isolation, stores);
    const started = Date.now();
    let loaded = 0;
    for (let fetched = await runner.fetch(); fetched > 0; fetched = await runner.fetch()) loaded += fetched;
    await task.commit();
    log.info(`global stores loaded ${loaded} records in ${Date.now() - started} ms`);
    return runner;
  }

  /** Fetches and applies new records of the global topics; returns how many there were. */
  async fetch(): Promise<number> {
    let fetched = 0;
    for (const position of this.positions) {
      const { records, nextOffset } = await this.cluster.fetch(position.topic, position.partition, position.offset, FETCH_BYTES, this.isolation);
      position.offset = nextOffset;
      if (records.length === 0) continue;
      await this.task.prepareRecords(position.topic, records);
      this.task.addRecords(position.topic, records);
      fetched += records.length;
    }
    while (this.task.process());
    return fetched;
  }

  async commit(): Promise<void> {
    await this.task.commit();
  }

  async close(): Promise<void> {
    await this.task.close();
  }
}
