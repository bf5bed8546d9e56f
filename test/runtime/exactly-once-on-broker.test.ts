import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Consumed, KafkaStreams, LogEngine, Materialized, Produced, Serdes, StreamsBuilder, setLogLevel } from '../../src/index.ts';
import { startInProcessBroker } from '../support/in-process-broker.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * exactly_once_v2 over the Kafka protocol on `kstreams broker` (KafkaCluster, the code path of Apache
 * Kafka): instances join and leave while input keeps arriving, so rebalances land in the middle of
 * transactions; read_committed readers must still see one update per input record.
 */
setLogLevel('error');
const str = Serdes.String();
const long = Serdes.Long();
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

function counting() {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('clicks', Consumed.with(str, str)).groupByKey()
    .count(Materialized.as<string, number>('click-counts'))
    .toStream().to('click-counts-out', Produced.with(str, long));
  return builder.build();
}

/** Every update read_committed readers see, per key, in order. */
async function committedCounts(engine: LogEngine): Promise<Map<string, number[]>> {
  const counts = new Map<string, number[]>();
  for (let p = 0; p < 4; p++) {
    const { latest } = await engine.listOffsets('click-counts-out', p, { isolationLevel: 'read_committed' });
    for (let offset = 0; offset < latest; ) {
      const { records, nextOffset } = await engine.fetchRecords('click-counts-out', p, offset, { isolationLevel: 'read_committed' });
      for (const r of records) counts.set(r.key!.toString(), [...(counts.get(r.key!.toString()) ?? []), long.deserialize('out', r.value)!]);
      offset = nextOffset;
    }
  }
  return counts;
}


describe('exactly_once_v2 on kstreams broker', () => {
  it('two instances share the work through rebalances mid-transaction, and every click is counted once', async () => {
    const dir = tempDir();
    const { engine, port } = await startInProcessBroker(dir, cleanup);
    await engine.createTopic('clicks', { partitions: 4 });
    await engine.createTopic('click-counts-out', { partitions: 4 });
    const config = (name: string) => ({
      'application.id': 'click-counter', 'bootstrap.servers': `127.0.0.1:${port}`, 'state.dir': join(dir, name), 'processing.guarantee': 'exactly_once_v2',
      'statestore.cache.max.bytes': 0, 'poll.ms': 10, 'session.timeout.ms': 3_000, 'client.id': name,
    });
    let sent = 0;
    const clicks = async (count: number) => {
      await engine.produce('clicks', Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`user-${(sent + i) % 11}`), value: Buffer.from('click'), timestamp: 1, headers: [] })));
      sent += count;
    };
    const total = async () => [...(await committedCounts(engine)).values()].reduce((n, updates) => n + updates.length, 0);

    const a = new KafkaStreams(counting(), config('a'));
    await a.start();
    cleanup.push(() => a.close());
    await clicks(300);
    await waitFor(async () => (await total()) > 0, 'the first instance committing', 45_000);
    const b = new KafkaStreams(counting(), config('b'));
    const joining = b.start();
    cleanup.push(() => b.close());
    await clicks(300); // arrives while the group rebalances
    await joining;
    await clicks(300);
    await a.close(); // a second rebalance: b takes every task
    await clicks(300);
    await waitFor(async () => (await total()) === sent, 'every click counted and committed', 45_000);

    const counts = await committedCounts(engine);
    for (let u = 0; u < 11; u++) {
      const clicksOfUser = Math.ceil((sent - u) / 11);
      expect(counts.get(`user-${u}`)).toEqual(Array.from({ length: clicksOfUser }, (_, i) => i + 1));
    }
  }, 90_000);
});
