import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import { KafkaStreams, Serdes, setLogLevel } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { zombieConfig, zombieTopology } from './fixtures/eos-zombie-app.ts';
import { startKafka } from './kit.ts';
import type { ReferenceKafka } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * Zombie fencing under exactly_once_v2 on Apache Kafka: an instance stalls in the middle of a
 * transaction, the group replaces it, another instance redoes its work; when the stalled one wakes
 * its transaction is fenced, and, as Kafka Streams does, it drops that work and rejoins the group
 * instead of failing. read_committed readers see every update exactly once, and the rejoined
 * instance carries on from the last commit when the task comes back to it.
 */
const build = referenceBuild();
setLogLevel('error');
const str = Serdes.String();
const long = Serdes.Long();

let kafka: ReferenceKafka;
let reader: KafkaCluster;
beforeAll(async () => {
  if (build === undefined) return;
  kafka = await startKafka(build);
  reader = await KafkaCluster.connect({ bootstrapServers: [kafka.bootstrap], clientId: 'zombie-reader', groupId: 'zombie-reader' });
  await reader.ensureTopics([{ name: 'zombie-in', partitions: 1, config: {} }, { name: 'zombie-out', partitions: 1, config: {} }]);
}, 90_000);
afterAll(async () => {
  await reader?.close();
  await kafka?.stop();
});

async function outputs(isolationLevel: 'read_committed' | 'read_uncommitted'): Promise<Array<[string, number]>> {
  const { latest } = await reader.offsets('zombie-out', 0, isolationLevel);
  const found: Array<[string, number]> = [];
  for (let offset = 0; offset < latest; ) {
    const { records: page, nextOffset } = await reader.fetch('zombie-out', 0, offset, 1 << 20, isolationLevel);
    if (nextOffset <= offset) break;
    for (const r of page) found.push([r.key!.toString(), long.deserialize('zombie-out', r.value)!]);
    offset = nextOffset;
  }
  return found;
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const input = (values: ReadonlyArray<[string, string]>) => reader.produce('zombie-in', values.map(([key, value]) => ({ key: str.serialize('zombie-in', key), value: str.serialize('zombie-in', value), timestamp: Date.now(), headers: [] })));

describe.skipIf(build === undefined)('exactly_once_v2 fences a zombie instance on Apache Kafka', () => {
  it('a stalled instance whose tasks moved is fenced when it wakes, rejoins, and later carries on from the last commit; no update is duplicated or lost', async () => {
    const dir = tempDir();
    const zombie = spawn(process.execPath, ['--import', 'tsx', 'test/reference/fixtures/eos-zombie-worker.ts', kafka.bootstrap, join(dir, 'zombie')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    zombie.stdout.on('data', (chunk: Buffer) => void (printed += chunk.toString()));
    let exited = false;
    zombie.on('close', () => void (exited = true));
    let successor: KafkaStreams | undefined;
    try {
      await waitFor(() => printed.includes('RUNNING'), 'the first instance running');
      // Its transaction takes the first updates but does not commit them (60 s commit interval).
      await input([['a', '1'], ['b', '2'], ['a', '3']]);
      await waitFor(async () => (await outputs('read_uncommitted')).length === 3, 'the first updates sent in a transaction');
      expect(await outputs('read_committed')).toEqual([]);
      await input([['b', '4'], ['a', 'pause'], ['c', '5']]);
      await waitFor(() => printed.includes('PAUSING'), 'the first instance stalled');

      successor = new KafkaStreams(zombieTopology(), zombieConfig(kafka.bootstrap, join(dir, 'successor')));
      await successor.start();
      await waitFor(async () => (await outputs('read_committed')).length === 6, 'the successor\'s updates committed');
      await waitFor(() => printed.includes('FENCED'), 'the stalled instance woken and fenced');
      // The successor leaves: its task goes back to the instance that was fenced, which must have rejoined.
      await successor.close();
      successor = undefined;
      await input([['a', '6'], ['d', '7']]);
      await waitFor(async () => (await outputs('read_committed')).length === 8, 'the rejoined instance\'s updates committed');
      expect(printed).not.toContain('FAILED');
      expect(exited).toBe(false);

      const byKey = new Map<string, number[]>();
      for (const [key, count] of await outputs('read_committed')) byKey.set(key, [...(byKey.get(key) ?? []), count]);
      expect(Object.fromEntries(byKey)).toEqual({ a: [1, 2, 3, 4], b: [1, 2], c: [1], d: [1] });
    } finally {
      zombie.kill('SIGKILL');
      await successor?.close();
    }
  }, 120_000);
});
