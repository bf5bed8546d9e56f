import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EmbeddedCluster, producedBatches } from '../../src/client/index.ts';
import { LogEngine } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Records a stream thread in a worker encodes into one batch per partition, appended by the
 * engine's owner as they are: the same records, offsets and refusals as `produce`, all or none.
 */
let engines: LogEngine[] = [];
afterEach(async () => {
  for (const engine of engines) await engine.close();
  engines = [];
});

async function cluster(maxMessageBytes = 1_000): Promise<{ engine: LogEngine; embedded: EmbeddedCluster }> {
  const engine = await LogEngine.open({ dataDir: join(tempDir(), 'log') });
  engines.push(engine);
  await engine.createTopic('out', { partitions: 2, config: { 'max.message.bytes': maxMessageBytes } });
  return { engine, embedded: EmbeddedCluster.of(engine) };
}

const record = (partition: number | undefined, n: number, valueBytes = 10) => ({
  key: Buffer.from(`k${n}`), value: Buffer.alloc(valueBytes, n), timestamp: 1_000 + n, headers: [{ key: 'h', value: Buffer.from([n]) }], ...(partition === undefined ? {} : { partition }),
});

describe('producedBatches and appendProducedBatches', () => {
  it('append each partition\'s records in order, with their keys, values, timestamps and headers', async () => {
    const { engine, embedded } = await cluster();
    const records = [record(1, 0), record(0, 1), record(1, 2)];
    await embedded.appendProducedBatches('out', producedBatches(records)!);
    await embedded.appendProducedBatches('out', producedBatches([record(0, 3)])!);
    const p0 = await engine.fetch('out', 0, 0);
    const p1 = await engine.fetch('out', 1, 0);
    expect(p0.map((r) => [r.offset, r.key!.toString(), r.timestamp])).toEqual([[0, 'k1', 1_001], [1, 'k3', 1_003]]);
    expect(p1.map((r) => [r.offset, r.key!.toString(), r.value!.equals(Buffer.alloc(10, 2 * r.offset)), r.headers[0]!.value![0]])).toEqual([[0, 'k0', true, 0], [1, 'k2', true, 2]]);
  });

  it('leave to the engine records without a partition or with a timestamp the log refuses', () => {
    expect(producedBatches([record(0, 0), record(undefined, 1)])).toBeUndefined();
    expect(producedBatches([{ ...record(0, 0), timestamp: -5 }])).toBeUndefined();
  });

  it('append nothing when one partition\'s batch is refused (too large, or no such partition)', async () => {
    const { engine, embedded } = await cluster();
    await expect(embedded.appendProducedBatches('out', producedBatches([record(0, 0), record(1, 1, 2_000)])!)).rejects.toMatchObject({ code: 'RECORD_TOO_LARGE' });
    await expect(embedded.appendProducedBatches('out', producedBatches([record(0, 0), record(2, 1)])!)).rejects.toMatchObject({ code: 'PARTITION_OUT_OF_RANGE' });
    expect((await engine.listOffsets('out', 0)).latest).toBe(0);
    expect((await engine.listOffsets('out', 1)).latest).toBe(0);
  });
});
