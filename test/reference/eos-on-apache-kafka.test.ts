import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import type { ClusterRecord } from '../../src/client/index.ts';
import { Consumed, KafkaStreams, Materialized, Produced, Serdes, StreamsBuilder, isStreamsError, setLogLevel } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startKafka } from './kit.ts';
import type { ReferenceKafka } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * exactly_once_v2 on Apache Kafka: the runtime's transactional commit path (KafkaCluster's
 * transactional sender) against a real broker's transaction coordinator.
 */
const build = referenceBuild();
setLogLevel('error');
const str = Serdes.String();
const long = Serdes.Long();

let kafka: ReferenceKafka;
let cluster: KafkaCluster;
beforeAll(async () => {
  if (build === undefined) return;
  kafka = await startKafka(build);
  cluster = await KafkaCluster.connect({ bootstrapServers: [kafka.bootstrap], clientId: 'eos-test', groupId: 'eos-test-reader' });
}, 90_000);
afterAll(async () => {
  await cluster?.close();
  await kafka?.stop();
});

const record = (key: string, value: Buffer): ClusterRecord => ({ key: Buffer.from(key), value, timestamp: Date.now(), headers: [] });

/** Every record of `topic` a read_committed reader sees, in partition order. */
async function committed(topic: string, partitions: number): Promise<Array<{ key: string; value: Buffer }>> {
  const out: Array<{ key: string; value: Buffer }> = [];
  for (let p = 0; p < partitions; p++) {
    const { latest } = await cluster.offsets(topic, p, 'read_committed');
    for (let offset = 0; offset < latest; ) {
      const { records: page, nextOffset } = await cluster.fetch(topic, p, offset, 1 << 20, 'read_committed');
      if (nextOffset <= offset) break;
      for (const r of page) out.push({ key: r.key!.toString(), value: r.value! });
      offset = nextOffset;
    }
  }
  return out;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(build === undefined)('exactly_once_v2 on Apache Kafka', () => {
  it('a transaction left open by a crashed producer is aborted when its transactional id starts again, and the old one is fenced', async () => {
    await cluster.ensureTopics([{ name: 'fenced-out', partitions: 1, config: {} }]);
    // Another producer first, so the crashed one's producer id is not 0 (a restart must not look like "producer 0").
    await (await cluster.transactionalSender('fencing-other-app-1')).close();
    const crashed = await cluster.transactionalSender('fencing-app-1');
    await crashed.produce('fenced-out', [record('k', Buffer.from('from the crashed run'))]);
    const second = await KafkaCluster.connect({ bootstrapServers: [kafka.bootstrap], clientId: 'eos-test-2', groupId: 'eos-test-reader' });
    try {
      const restarted = await second.transactionalSender('fencing-app-1');
      const error = await crashed.commit('eos-test-reader', []).catch((e: unknown) => e);
      expect(isStreamsError(error, 'PRODUCER_FENCED')).toBe(true);
      await restarted.produce('fenced-out', [record('k', Buffer.from('from the restart'))]);
      await restarted.commit('eos-test-reader', []);
      expect((await committed('fenced-out', 1)).map((r) => r.value.toString())).toEqual(['from the restart']);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('a keyed count commits one update per input record, visible to read_committed readers only once committed', async () => {
    const partitions = 3;
    await cluster.ensureTopics([{ name: 'eos-clicks', partitions, config: {} }, { name: 'eos-counts', partitions, config: {} }]);
    const users = 7;
    const inputs = 300;
    await cluster.produce('eos-clicks', Array.from({ length: inputs }, (_, n) => record(`user-${n % users}`, str.serialize('eos-clicks', `click-${n}`)!)));
    const builder = new StreamsBuilder();
    builder.stream<string, string>('eos-clicks', Consumed.with(str, str)).groupByKey()
      .count(Materialized.as<string, number>('eos-click-counts'))
      .toStream().to('eos-counts', Produced.with(str, long));
    const streams = new KafkaStreams(builder.build(), {
      'application.id': 'eos-counting', 'bootstrap.servers': kafka.bootstrap, 'processing.guarantee': 'exactly_once_v2',
      'state.dir': join(tempDir(), 'state'), 'poll.ms': 10, 'session.timeout.ms': 6_000,
      'statestore.cache.max.bytes': 0, // every update goes out, so each input shows as one count
    });
    await streams.start();
    try {
      await waitFor(async () => (await committed('eos-counts', partitions)).length >= inputs, 'every count committed');
      await streams.close();
      const counts = new Map<string, number[]>();
      for (const r of await committed('eos-counts', partitions)) counts.set(r.key, [...(counts.get(r.key) ?? []), long.deserialize('eos-counts', r.value)!]);
      for (let u = 0; u < users; u++) {
        const clicks = Math.ceil((inputs - u) / users);
        expect(counts.get(`user-${u}`)).toEqual(Array.from({ length: clicks }, (_, i) => i + 1));
      }
      // Written in transactions: their commit markers take offsets of their own.
      let logEnd = 0;
      for (let p = 0; p < partitions; p++) logEnd += (await cluster.offsets('eos-counts', p, 'read_uncommitted')).latest;
      expect(logEnd).toBeGreaterThan(inputs);
      // The offsets went through the transactions: the group resumes after the last input. Read as a
      // task would start (stable), since the last commit's markers may still be on their way.
      const inputPartitions = Array.from({ length: partitions }, (_, partition) => ({ topic: 'eos-clicks', partition }));
      const offsets = await cluster.committedOffsets('eos-counting', 'read_committed', inputPartitions);
      expect(offsets.filter((o) => o.topic === 'eos-clicks').reduce((sum, o) => sum + o.offset, 0)).toBe(inputs);
    } finally {
      await streams.close();
    }
  }, 60_000);
});
