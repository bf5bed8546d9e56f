import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import { Consumed, Grouped, KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';
import { startInProcessBroker } from '../support/in-process-broker.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import { spawnJava } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * Where a new application starts reading, decided by Kafka Streams itself: the same word count in
 * Kafka Streams (Java) and in kstreams, each with `auto.offset.reset`, on lines produced before it
 * starts and after it runs. Kafka's rule: `latest` skips what was there, `earliest` reads it, and
 * the repartition topic between the two sub-topologies always starts at its earliest offset.
 */
const build = referenceBuild();

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

function wordCount(input: string, output: string) {
  const builder = new StreamsBuilder();
  builder.stream<string | null, string>(input, Consumed.with(Serdes.String(), Serdes.String()))
    .flatMapValues((line) => line.toLowerCase().split(/\W+/))
    .filter((_key, word) => word.length > 0)
    .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
    .count()
    .toStream()
    .to(output, Produced.with(Serdes.String(), Serdes.Long()));
  return builder.build();
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no "${pattern}" from the Java app within ${timeoutMs} ms:\n${output.slice(-2_000)}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^error /m.test(output)) reject(new Error(`the Java app failed:\n${output.slice(-2_000)}`));
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}

/** Every count the output topic holds, in order, as "word=count". */
async function countsIn(cluster: KafkaCluster, topic: string): Promise<string[]> {
  const counts: string[] = [];
  for (let offset = 0; ;) {
    const { records, nextOffset } = await cluster.fetch(topic, 0, offset, 1 << 20);
    for (const record of records) counts.push(`${record.key!.toString()}=${record.value!.readBigInt64BE()}`);
    if (nextOffset === offset) return counts;
    offset = nextOffset;
  }
}

describe.skipIf(build === undefined)('auto.offset.reset of a new application, against Kafka Streams', () => {
  it.each(['latest', 'earliest'])('"%s": kstreams counts the same words as Kafka Streams', async (policy) => {
    const dir = tempDir();
    const { bootstrap } = await startInProcessBroker(dir, cleanup);
    const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'offset-reset-test', groupId: 'offset-reset-test' });
    cleanup.push(() => cluster.close());
    const send = (topic: string, line: string) => cluster.produce(topic, [{ key: null, value: Buffer.from(line), timestamp: Date.now(), headers: [] }]);

    const run = async (side: string, start: (input: string, output: string) => Promise<void>): Promise<string[]> => {
      const [input, output] = [`lines-${side}-${policy}`, `counts-${side}-${policy}`];
      await cluster.ensureTopics([{ name: input, partitions: 1, config: {} }, { name: output, partitions: 1, config: {} }]);
      await send(input, 'before before');
      await start(input, output);
      // Kafka's consumer takes its position at the first poll after the assignment: leave it time to.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await send(input, 'after');
      const expectedLast = 'after=1';
      await waitFor(async () => (await countsIn(cluster, output)).includes(expectedLast), `"${expectedLast}" from ${side}`, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return countsIn(cluster, output);
    };

    const java = await run('java', async (input, output) => {
      const app = spawnJava(build!, 'dev.kstreams.reference.JavaWordCount', [bootstrap, `java-reset-${policy}`, input, output, join(dir, 'java-state'), 'at_least_once', policy]);
      cleanup.push(async () => void (app.exitCode === null && app.kill('SIGKILL')));
      await waitForLine(app, /^state RUNNING$/m, 90_000);
    });
    const ours = await run('kstreams', async (input, output) => {
      const streams = new KafkaStreams(wordCount(input, output), {
        'application.id': `kstreams-reset-${policy}`, 'bootstrap.servers': bootstrap, 'state.dir': join(dir, 'kstreams-state'),
        'commit.interval.ms': 200, 'statestore.cache.max.bytes': 0, 'auto.offset.reset': policy,
      });
      cleanup.push(() => streams.close());
      await streams.start();
      await waitFor(() => streams.state === 'RUNNING', 'kstreams RUNNING', 60_000);
    });

    expect(java).toEqual(policy === 'latest' ? ['after=1'] : ['before=1', 'before=2', 'after=1']);
    expect(ours).toEqual(java);
  }, 240_000);
});
