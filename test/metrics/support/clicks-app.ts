import { join } from 'node:path';
import { Consumed, KafkaStreams, LogEngine, Materialized, Serdes, StreamsBuilder, TimeWindows } from '../../../src/index.ts';
import type { StreamsMetric } from '../../../src/index.ts';
import { tempDir } from '../../support/temp-dir.ts';

const str = Serdes.String();

/** Clicks per key in 10 ms windows with 5 ms grace (one partition), counted into "clicks-per-window". */
export function clicksTopology() {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('clicks', Consumed.with(str, str))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
    .count(Materialized.as('clicks-per-window'))
    .toStream()
    .foreach(() => {});
  return builder.build();
}

/** A KafkaStreams instance running {@link clicksTopology} on a fresh engine, with `clicks` holding records at these timestamps (key "a"). */
export async function runClicks(timestamps: readonly number[], config: { [key: string]: unknown } = {}) {
  const dir = tempDir();
  const engine = await LogEngine.open({ dataDir: join(dir, 'log') });
  await engine.createTopic('clicks', { partitions: 1 });
  await engine.produce('clicks', timestamps.map((timestamp) => ({ key: Buffer.from('a'), value: Buffer.from('x'), timestamp, headers: [] })));
  const streams = new KafkaStreams(clicksTopology(), {
    'application.id': 'clicks', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5, ...config,
  }, { engine });
  await streams.start();
  return {
    streams,
    engine,
    async close() {
      await streams.close();
      await engine.close();
    },
  };
}

/** The metrics whose group and name match, with their tags and values. */
export function find(metrics: readonly StreamsMetric[], group: string, name: string): Array<{ tags: Readonly<Record<string, string>>; value: number | string }> {
  return metrics.filter((m) => m.group === group && m.name === name).map((m) => ({ tags: m.tags, value: m.value }));
}

/** The single value of a metric (fails when there is not exactly one). */
export function valueOf(metrics: readonly StreamsMetric[], group: string, name: string): number | string {
  const found = find(metrics, group, name);
  if (found.length !== 1) throw new Error(`expected one ${group}/${name}, found ${found.length}`);
  return found[0]!.value;
}

/** Waits until `check` holds, reading it after each commit of the instance (polls the metrics). */
export async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
