/**
 * Shared steps of the benches that run applications against a real Apache Kafka broker
 * (bench/vs-kafka-streams.ts, bench/vs-kafkats-flow.ts): produce a workload's inputs once, time an
 * application from the moment it runs until its group has committed every input record, and
 * count the process's CPU seconds over the same span.
 */
import { KafkaStreams, partitionForKey } from 'kstreams';
import type { KafkaCluster } from '../../src/client/index.ts';
import { cpuSeconds } from './cpu-seconds.ts';
import type { BenchRecord, Workload } from './vs-kafka-streams-workloads.ts';

export { cpuSeconds };

/** Partitions of every input and output topic of the benches on Kafka. */
export const KAFKA_PARTITIONS = 2;

/** One timed run: wall-clock seconds and this process's CPU seconds (all threads). */
export interface Measurement {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly outputs?: number;
}

/** Waits until `group` has committed the end of every partition in `ends` (`<topic>-<partition>` → end offset). */
export async function waitUntilCommitted(cluster: KafkaCluster, group: string, ends: ReadonlyMap<string, number>): Promise<void> {
  for (;;) {
    const committed = new Map((await cluster.committedOffsets(group)).map((c) => [`${c.topic}-${c.partition}`, c.offset]));
    if ([...ends].every(([tp, end]) => end === 0 || (committed.get(tp) ?? 0) >= end)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates the workload's topics and produces its inputs, partitioned as a Java producer would; returns every input partition's end offset. */
export async function produceInputs(cluster: KafkaCluster, workload: Workload, output: string, log: (line: string) => void): Promise<Map<string, number>> {
  const inputs = [...new Set(workload.records.map((r) => r.topic))];
  await cluster.ensureTopics([...inputs, output].map((name) => ({ name, partitions: KAFKA_PARTITIONS, config: {} })));
  log(`  producing ${workload.records.length.toLocaleString('en-US')} input records of ${workload.name}`);
  for (let i = 0; i < workload.records.length; i += 5_000) {
    const byTopic = new Map<string, BenchRecord[]>();
    for (const r of workload.records.slice(i, i + 5_000)) {
      const list = byTopic.get(r.topic);
      if (list === undefined) byTopic.set(r.topic, [r]);
      else list.push(r);
    }
    for (const [topic, records] of byTopic) {
      await cluster.produce(topic, records.map((r) => {
        const key = Buffer.from(r.key);
        return { key, value: Buffer.from(r.value), timestamp: r.timestamp, headers: [], partition: partitionForKey(key, KAFKA_PARTITIONS) };
      }));
    }
  }
  const ends = new Map<string, number>();
  for (const topic of inputs) for (let p = 0; p < KAFKA_PARTITIONS; p++) ends.set(`${topic}-${p}`, (await cluster.offsets(topic, p)).latest);
  return ends;
}

/** kstreams' run of `workload` on Kafka under `applicationId`, timed from RUNNING until every input is committed. */
export async function kstreamsOnKafka(workload: Workload, applicationId: string, bootstrap: string, cluster: KafkaCluster, ends: ReadonlyMap<string, number>, stateDir: string): Promise<Measurement> {
  const streams = new KafkaStreams(workload.topology(), { 'application.id': applicationId, 'bootstrap.servers': bootstrap, 'state.dir': stateDir, 'commit.interval.ms': 100 });
  let started = 0;
  let cpu = 0;
  streams.onStateChange((state) => {
    if (state === 'RUNNING' && started === 0) {
      started = performance.now();
      cpu = cpuSeconds();
    }
  });
  await streams.start();
  await waitUntilCommitted(cluster, applicationId, ends);
  const measured = { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpu };
  await streams.close();
  return measured;
}
