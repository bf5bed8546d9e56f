import { Producer } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafka, type ReferenceKafka } from '../reference/kit.ts';
import { referenceBuild } from '../reference/reference-tools.ts';
import { clusterSuite } from './cluster-suite.ts';
import { cli } from './in-process-cli.ts';

const build = referenceBuild();

describe.skipIf(build === undefined)('kstreams topics|produce|consume|reset --bootstrap-server on Apache Kafka', () => {
  let kafka: ReferenceKafka;
  beforeAll(async () => {
    kafka = await startKafka(build!);
  }, 120_000);
  afterAll(async () => {
    await kafka?.stop();
  });
  clusterSuite(() => kafka.bootstrap, 'ak');

  it('hides aborted and open transactions under --isolation-level read_committed', async () => {
    const on = ['--bootstrap-server', kafka.bootstrap];
    await cli(['topics', 'create', 'ak-transactions', ...on]);
    const producer = new Producer({ clientId: 'cli-test', bootstrapBrokers: [kafka.bootstrap], idempotent: true, transactionalId: 'cli-test-tx', acks: -1 });
    try {
      const send = async (value: string, outcome: 'commit' | 'abort') => {
        const transaction = await producer.beginTransaction();
        await transaction.send({ messages: [{ topic: 'ak-transactions', value: Buffer.from(value) }] });
        await transaction[outcome]();
      };
      await send('committed-1', 'commit');
      await send('aborted', 'abort');
      await send('committed-2', 'commit');
      const open = await producer.beginTransaction();
      await open.send({ messages: [{ topic: 'ak-transactions', value: Buffer.from('still-open') }] });
      expect((await cli(['consume', 'ak-transactions', ...on])).lines).toEqual(['committed-1', 'aborted', 'committed-2', 'still-open']);
      expect((await cli(['consume', 'ak-transactions', '--isolation-level', 'read_committed', ...on])).lines).toEqual(['committed-1', 'committed-2']);
      await open.abort();
    } finally {
      await producer.close();
    }
  });
});
