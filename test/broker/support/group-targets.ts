import { expect } from 'vitest';
import { join } from 'node:path';
import { KafkaBroker } from '../../../src/broker/index.ts';
import { LogEngine } from '../../../src/log/index.ts';
import { ERROR_CODES, apis } from '../../../src/protocol/index.ts';
import { referenceKafkaForFile } from '../../reference/reference-tools.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { RawClient } from './raw-client.ts';

/** Answers Apache Kafka gives while it loads a group's offsets partition: clients retry them. */
export const COORDINATOR_NOT_READY = new Set<number>([ERROR_CODES.COORDINATOR_LOAD_IN_PROGRESS, ERROR_CODES.COORDINATOR_NOT_AVAILABLE, ERROR_CODES.NOT_COORDINATOR]);

/**
 * The targets a group-protocol test runs its raw requests against: `kstreams broker`, and Apache
 * Kafka from the reference kit, which is the spec (skipped without Java). Call at a test file's top
 * level; `cleanup` collects what each test opened, for its afterEach.
 */
export function groupTargets(cleanup: Array<() => unknown>) {
  const reference = referenceKafkaForFile();
  const startKstreamsBroker = async (): Promise<number> => {
    const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => engine.close(), () => broker.close());
    return port;
  };
  return [
    { name: 'kstreams broker', skip: false, port: startKstreamsBroker },
    { name: 'Apache Kafka', skip: !reference.available, port: async () => Number(reference.bootstrap.split(':').at(-1)) },
  ];
}

/**
 * Waits until the coordinator of a group (`keyType` 0) or a transactional id (1) answers: Apache
 * Kafka first creates and loads its offsets or transaction state topic.
 */
export async function coordinatorReady(port: number, key: string, keyType: 0 | 1 = 0): Promise<void> {
  const c = await RawClient.open(port);
  try {
    await expect.poll(async () => (await c.request(apis.findCoordinator, 3, { key, keyType }))['errorCode'], { timeout: 60_000 }).toBe(ERROR_CODES.NONE);
  } finally {
    c.close();
  }
}
