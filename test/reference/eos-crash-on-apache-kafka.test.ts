import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { runEosCrashScenario } from '../runtime/support/eos-crash-scenario.ts';
import type { CrashTarget } from '../runtime/support/eos-crash-scenario.ts';
import { startKafka } from './kit.ts';
import type { ReferenceKafka } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * The exactly-once crash scenario of test/runtime/eos-crash-recovery.test.ts on Apache Kafka: a
 * worker killed mid-transaction leaves nothing a read_committed reader sees, and the next one
 * (same transactional id, kept in its state directory) fences it and carries on.
 */
const build = referenceBuild();
let kafka: ReferenceKafka | undefined;

beforeAll(async () => {
  if (build === undefined) return;
  // The workers' 3 s session timeout (Kafka refuses under 6 s unless told), and no retention: the
  // scenario's events carry timestamps near 0.
  kafka = await startKafka(build, { properties: { 'group.min.session.timeout.ms': '1000', 'log.retention.ms': '-1' } });
}, 120_000);
afterAll(async () => {
  await kafka?.stop();
});

describe.skipIf(build === undefined)('exactly_once_v2 on Apache Kafka: a crash at any moment neither loses nor repeats an update', () => {
  it('after a SIGKILL mid-run and a restart, read_committed totals are each user\'s fold over its events, one update per event', async () => {
    const bootstrap = kafka!.bootstrap;
    const target: CrashTarget = {
      async withCluster(use) {
        const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'eos-crash-test', groupId: 'eos-crash-test-reader' });
        try {
          return await use(cluster);
        } finally {
          await cluster.close();
        }
      },
      workerFlags: [`--bootstrap=${bootstrap}`],
    };
    const { exitCode, expected, actual } = await runEosCrashScenario(tempDir(), [300], target);
    expect(exitCode).toBe(0);
    expect(actual).toEqual(expected);
  }, 240_000);
});
