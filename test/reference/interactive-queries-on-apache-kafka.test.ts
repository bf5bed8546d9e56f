import { Admin, Producer } from '@platformatic/kafka';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { partitionForKey, setLogLevel } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import type { Instance } from '../http/fixtures/query-cluster.ts';
import {
  CLICKS_PARTITIONS, clickRecords, expectEveryKeyFromEveryInstance, settled, startInstance, waitFor,
} from '../http/fixtures/query-cluster.ts';
import { startKafka, type ReferenceKafka } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

setLogLevel('warn');
const build = referenceBuild();
/** Apache Kafka refuses sessions shorter than its group.min.session.timeout.ms (6 s). */
const KAFKA_SESSION = { 'session.timeout.ms': 6_000 };

describe.skipIf(build === undefined)('interactive queries across instances on Apache Kafka (hosts through the group, HTTP forwarding)', () => {
  let kafka: ReferenceKafka;
  beforeAll(async () => {
    kafka = await startKafka(build!);
  }, 120_000);
  afterAll(async () => {
    await kafka?.stop();
  });
  let cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup = [];
  });

  it('answers every key from each of three instances, and from the other two after one closes', async () => {
    const admin = new Admin({ clientId: 'iq-admin', bootstrapBrokers: [kafka.bootstrap] });
    await admin.createTopics({ topics: ['clicks'], partitions: CLICKS_PARTITIONS, replicas: 1 });
    await admin.createTopics({ topics: ['regions'], partitions: 1, replicas: 1 });
    await admin.close();
    // Idempotent: a retried send (the topic is brand new) must not write the clicks twice.
    const producer = new Producer({ clientId: 'iq-producer', bootstrapBrokers: [kafka.bootstrap], idempotent: true, acks: -1 });
    await producer.send({ messages: clickRecords().map((r) => ({ topic: 'clicks', key: r.key, value: r.value, timestamp: BigInt(r.timestamp), partition: partitionForKey(r.key, CLICKS_PARTITIONS) })) });
    await producer.close();

    const dir = tempDir();
    const instances: Instance[] = [];
    for (const name of ['a', 'b', 'c']) instances.push(await startInstance(kafka.bootstrap, dir, name, (step) => cleanup.push(step), KAFKA_SESSION));
    await waitFor(() => settled(instances, 3), 'three instances sharing six tasks on Apache Kafka, every count in', 90_000);
    await expectEveryKeyFromEveryInstance(instances.map((i) => i.base));

    const [a, b, c] = instances;
    await c!.streams.close();
    await c!.http.close();
    await waitFor(() => settled([a!, b!], 2), 'two instances sharing the six tasks after the third left', 90_000);
    await expectEveryKeyFromEveryInstance([a!.base, b!.base]);
  }, 240_000);
});
