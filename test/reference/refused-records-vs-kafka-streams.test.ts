import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import { KafkaStreams, Serdes, StreamsBuilder, StreamsError, partitionForKey } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import { spawnJava } from './kit.ts';
import { referenceBuild, referenceKafkaForFile } from './reference-tools.ts';

/**
 * Records Apache Kafka refuses to write (larger than the output topic's max.message.bytes), in
 * Kafka Streams 4.x and in kstreams, each on its own copy of the same input on the same broker: a
 * pass-through whose input holds a small record for each of the output's two partitions and, on
 * partition 0, one of 5,000 bytes. With a resuming production handler both write exactly the two
 * small records, under at_least_once and exactly_once_v2; with the default handler both stop, with
 * Kafka's RecordTooLargeException and kstreams' RECORD_TOO_LARGE.
 */
const build = referenceBuild();
const reference = referenceKafkaForFile();

let cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

let runs = 0;
const keyOn = (partition: number): string => {
  for (let i = 0; ; i++) if (partitionForKey(Buffer.from(`key-${i}`), 2) === partition) return `key-${i}`;
};

/** A fresh input with the three records and an output that refuses the large one; how to read the output. */
async function topicsFor(side: string) {
  const run = ++runs;
  const [input, output] = [`refused-${side}-in-${run}`, `refused-${side}-out-${run}`];
  const cluster = await KafkaCluster.connect({ bootstrapServers: [reference.bootstrap], clientId: `refused-${run}`, groupId: `refused-${run}` });
  cleanup.push(() => cluster.close());
  await cluster.ensureTopics([{ name: input, partitions: 1, config: {} }, { name: output, partitions: 2, config: { 'max.message.bytes': '1000' } }]);
  const values = [[keyOn(0), 'small-0'], [keyOn(0), 'x'.repeat(5_000)], [keyOn(1), 'small-1']] as const;
  await cluster.produce(input, values.map(([key, value]) => ({ key: Buffer.from(key), value: Buffer.from(value), timestamp: Date.now(), headers: [], partition: 0 })));
  const outputs = async (): Promise<string[]> => {
    const all: string[] = [];
    for (const partition of [0, 1]) all.push(...(await cluster.fetch(output, partition, 0, 1 << 20, 'read_committed')).records.map((r) => r.value!.toString()));
    return all.sort();
  };
  return { input, output, outputs, applicationId: `refused-${side}-${run}` };
}

/** What a run ends with: the output read_committed, and the failure kind if the instance stopped. */
interface Outcome {
  readonly outputs: string[];
  readonly failure: string | undefined;
}

/** Waits for two outputs (then a few commits more, so a duplicate would show) or a failure. */
async function settle(outputs: () => Promise<string[]>, failed: () => string | undefined): Promise<Outcome> {
  await waitFor(async () => failed() !== undefined || (await outputs()).length >= 2, 'two outputs or a failure', 90_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return { outputs: await outputs(), failure: failed() };
}

async function kafkaStreamsRun(guarantee: string, handler: 'resume' | 'fail'): Promise<Outcome> {
  const { input, output, outputs, applicationId } = await topicsFor('java');
  const app: ChildProcess = spawnJava(build!, 'dev.kstreams.reference.JavaPassThrough', [reference.bootstrap, applicationId, input, output, join(tempDir(), 'state'), guarantee, handler]);
  const exited = new Promise((resolve) => app.on('exit', resolve));
  cleanup.push(async () => {
    if (app.exitCode === null) app.kill('SIGTERM');
    await exited;
  });
  let printed = '';
  app.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  app.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  return settle(outputs, () => /^error (\w+)/m.exec(printed)?.[1]);
}

async function kstreamsRun(guarantee: string, handler: 'resume' | 'fail'): Promise<Outcome> {
  const { input, output, outputs, applicationId } = await topicsFor('kstreams');
  const builder = new StreamsBuilder();
  builder.stream<string, string>(input).to(output);
  const app = new KafkaStreams(builder.build(), {
    'application.id': applicationId, 'bootstrap.servers': reference.bootstrap, 'state.dir': join(tempDir(), 'state'), 'commit.interval.ms': 100,
    'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String(), 'processing.guarantee': guarantee,
    ...(handler === 'resume' ? { 'production.exception.handler': 'logAndContinue' } : {}),
  });
  cleanup.push(() => app.close());
  let failure: string | undefined;
  app.setUncaughtExceptionHandler((error) => {
    let cause: unknown = error;
    while (!(cause instanceof StreamsError && cause.code === 'RECORD_TOO_LARGE') && (cause as { cause?: unknown }).cause !== undefined) cause = (cause as { cause: unknown }).cause;
    failure = cause instanceof StreamsError ? cause.code : String(error);
    return 'SHUTDOWN_CLIENT';
  });
  await app.start();
  return settle(outputs, () => failure);
}

describe.skipIf(build === undefined)('records Apache Kafka refuses: kstreams against Kafka Streams 4.x', () => {
  // Kafka's failure (the root exception) and kstreams' (the error code) name the same refusal.
  const sameFailure = { RecordTooLargeException: 'RECORD_TOO_LARGE' } as const;

  it.each([
    ['at_least_once', 'resume'],
    // Kafka's transactional producer cannot commit after a failed send: the handler's answer does not matter.
    ['exactly_once_v2', 'resume'],
    ['at_least_once', 'fail'],
  ] as const)('under %s with a handler that answers %s, kstreams writes and fails as Kafka Streams does', async (guarantee, handler) => {
    const theirs = await kafkaStreamsRun(guarantee, handler);
    const ours = await kstreamsRun(guarantee, handler);
    expect(ours).toEqual({ outputs: theirs.outputs, failure: theirs.failure === undefined ? undefined : sameFailure[theirs.failure as keyof typeof sameFailure] ?? theirs.failure });
    // What Kafka Streams did, so that a change of Kafka's own behaviour shows here.
    if (handler === 'resume' && guarantee === 'at_least_once') expect(theirs).toEqual({ outputs: ['small-0', 'small-1'], failure: undefined });
    else expect(theirs.failure).toBe('RecordTooLargeException');
  }, 180_000);
});
