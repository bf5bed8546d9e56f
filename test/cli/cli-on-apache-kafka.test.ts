import { afterAll, beforeAll, describe } from 'vitest';
import { startKafka, type ReferenceKafka } from '../reference/kit.ts';
import { referenceBuild } from '../reference/reference-tools.ts';
import { clusterSuite } from './cluster-suite.ts';

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
});
