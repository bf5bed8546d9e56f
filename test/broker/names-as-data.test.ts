import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KafkaBroker } from '../../src/broker/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { apis } from '../../src/protocol/index.ts';
import { encodeBatch } from '../../src/record/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { RawClient } from './support/raw-client.ts';

/** Names that are also properties of every JavaScript object. */
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const PROTOTYPE_BEFORE = Object.getOwnPropertyNames(Object.prototype).sort();

function expectPrototypeClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_BEFORE);
  expect(Object.getOwnPropertyNames(Object).filter((n) => NAMES.includes(n))).toEqual([]);
  expect(({} as Record<string, unknown>)['0']).toBeUndefined();
}

async function serve(dataDir: string): Promise<{ engine: LogEngine; client: RawClient; stop: () => Promise<void> }> {
  const engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  const client = await RawClient.open(port);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.close();
    await broker.close();
    await engine.close();
  };
  cleanup.push(stop);
  return { engine, client, stop };
}

describe('topic and group names that are JavaScript object keys', () => {
  it('work as topics and groups through the broker and survive a restart; Object.prototype stays untouched', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await serve(dataDir);
    const created = await first.client.request(apis.createTopics, 4, {
      topics: NAMES.map((name) => ({ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] })), timeoutMs: 1000, validateOnly: false,
    });
    expect((created['topics'] as Array<{ errorCode: number }>).map((t) => t.errorCode)).toEqual(NAMES.map(() => 0));
    for (const name of NAMES) {
      const batch = encodeBatch([{ key: Buffer.from(name), value: Buffer.from(`in ${name}`), timestamp: 1, headers: [] }], { baseOffset: 0 });
      const produced = await first.client.request(apis.produce, 9, { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name, partitionData: [{ index: 0, records: batch }] }] });
      expect(produced).toMatchObject({ responses: [{ name, partitionResponses: [{ errorCode: 0, baseOffset: 0 }] }] });
      const committed = await first.client.request(apis.offsetCommit, 2, {
        groupId: name, generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1,
        topics: NAMES.map((topic) => ({ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: `${name}/${topic}` }] })),
      });
      expect((committed['topics'] as Array<{ partitions: Array<{ errorCode: number }> }>).flatMap((t) => t.partitions.map((p) => p.errorCode))).toEqual(NAMES.map(() => 0));
      // Committed while the group has no members (as Kafka requires of a commit naming none), then joined.
      const joined = await first.client.request(apis.joinGroup, 3, {
        groupId: name, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
      });
      expect(joined['errorCode']).toBe(0);
    }
    expectPrototypeClean();
    await first.stop();

    const second = await serve(dataDir);
    expect(await second.engine.listTopics()).toEqual([...NAMES].sort());
    expect(await second.engine.listGroups()).toEqual([...NAMES].sort());
    for (const name of NAMES) {
      expect((await second.engine.fetch(name, 0, 0)).map((r) => r.value?.toString())).toEqual([`in ${name}`]);
      const fetched = await second.client.request(apis.offsetFetch, 3, { groupId: name, topics: NAMES.map((topic) => ({ name: topic, partitionIndexes: [0] })) });
      expect((fetched['topics'] as Array<{ name: string; partitions: Array<{ committedOffset: number; metadata: string }> }>).map((t) => [t.name, t.partitions[0]!.committedOffset, t.partitions[0]!.metadata]))
        .toEqual(NAMES.map((topic) => [topic, 1, `${name}/${topic}`]));
    }
    expectPrototypeClean();
  });

  it('work as topics and groups of the engine in-process, across a restart', async () => {
    const dataDir = join(tempDir(), 'data');
    let engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
    for (const name of NAMES) {
      await engine.createTopic(name, { partitions: 2 });
      await engine.produce(name, [{ key: null, value: Buffer.from(name), timestamp: 1, headers: [], partition: 1 }]);
    }
    for (const name of NAMES) {
      await engine.commitOffsets(name, NAMES.map((topic) => ({ topic, partition: 1, offset: 1 })));
    }
    await engine.deleteTopic('valueOf');
    await engine.close();
    engine = await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 });
    cleanup.push(() => engine.close());
    const kept = NAMES.filter((n) => n !== 'valueOf');
    expect(await engine.listTopics()).toEqual([...kept].sort());
    for (const name of kept) {
      expect(engine.partitionCount(name)).toBe(2);
      expect((await engine.fetch(name, 1, 0)).map((r) => r.value?.toString())).toEqual([name]);
      expect((await engine.fetchOffsets(name)).map((o) => [o.topic, o.partition, o.offset])).toEqual(kept.map((topic) => [topic, 1, 1]));
    }
    expectPrototypeClean();
  });
});
