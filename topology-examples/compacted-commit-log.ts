/**
 * A compacted commit log: every change of an entity's state is appended to `entity-updates`;
 * the application keeps the latest state per entity in the store `entity-latest` and writes it to
 * `entity-state`, a topic with `cleanup.policy=compact` (create it so), whose compaction leaves
 * the latest record per key — a log that is also a snapshot. A null update deletes the entity.
 *
 * Run `npx tsx topology-examples/compacted-commit-log.ts` to see the log engine compact the output.
 *
 * Property tests (test/examples/compacted-commit-log.prop.test.ts): the latest state per key
 * equals the last update per key, in any partition count and across restarts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Consumed, KafkaStreams, LogEngine, Materialized, Produced, Serdes, StreamsBuilder, setLogLevel } from 'kstreams';
import type { Topology } from 'kstreams';

export const TOPICS = { updates: 'entity-updates', state: 'entity-state' } as const;
export const LATEST_STORE = 'entity-latest';

export function buildCompactedLogTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>(TOPICS.updates, Consumed.with(Serdes.String(), Serdes.String()))
    .toTable(Materialized.as<string, string>(LATEST_STORE).withValueSerde(Serdes.String()))
    .toStream()
    .to(TOPICS.state, Produced.with(Serdes.String(), Serdes.String()));
  return builder.build();
}

export default function compactedLogApp() {
  return { applicationId: 'compacted-commit-log', topology: buildCompactedLogTopology() };
}

/** Runs the application on a temporary engine, then compacts `entity-state` and prints what is left. */
export async function main(): Promise<void> {
  setLogLevel('warn');
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-compacted-log-'));
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  try {
    await log.createTopic(TOPICS.updates, { partitions: 1 });
    await log.createTopic(TOPICS.state, { partitions: 1, config: { 'cleanup.policy': 'compact', 'segment.bytes': '1024' } });
    const streams = new KafkaStreams(buildCompactedLogTopology(), {
      'application.id': 'compacted-commit-log', 'state.dir': join(dir, 'state'), 'statestore.cache.max.bytes': 0, 'commit.interval.ms': 10, 'poll.ms': 5,
    }, { engine: log });
    await streams.start();
    // Updates arrive over time, so the output is many small batches and its small segments roll.
    const updates = Array.from({ length: 200 }, (_, i) => [`entity-${i % 5}`, `version-${i}`] as const);
    for (let i = 0; i < updates.length; i += 10) {
      await log.produce(TOPICS.updates, updates.slice(i, i + 10).map(([key, value], j) => ({ key: Buffer.from(key), value: Buffer.from(value), timestamp: i + j, headers: [] })));
      while ((await log.listOffsets(TOPICS.state, 0)).latest < i + 10) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await streams.close();
    await log.flush();
    await log.compact(TOPICS.state);
    const left = await log.fetch(TOPICS.state, 0, 0, { maxBytes: 1 << 20 });
    console.log(`${updates.length} updates written; after compaction ${TOPICS.state} holds ${left.length} records ` +
      '(the latest per key in the compacted segments, then the still-active segment as written):');
    for (const record of left) console.log(`  offset ${record.offset}: ${record.key?.toString()} = ${record.value?.toString()}`);
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
