import { describe, expect, it } from 'vitest';
import type { Cluster, ClusterRecord } from '../../src/client/index.ts';
import { ClusterCollector } from '../../src/runtime/cluster-collector.ts';
import { StreamsError } from '../../src/common/index.ts';
import { productionHandlerOf } from '../../src/runtime/task/exception-handler-config.ts';

const logAndContinue = () => productionHandlerOf({ 'production.exception.handler': 'logAndContinue' }, undefined);

/** A cluster that only records produce calls. */
function recordingCluster(calls: Array<{ topic: string; records: readonly ClusterRecord[] }>): Cluster {
  return {
    produce: async (topic, records) => void calls.push({ topic, records }),
  } as Partial<Cluster> as Cluster;
}

describe('ClusterCollector', () => {
  it('sends what tasks produced, per topic and in order, in slices a broker accepts', async () => {
    const calls: Array<{ topic: string; records: readonly ClusterRecord[] }> = [];
    const collector = new ClusterCollector(recordingCluster(calls), new Map([['out', 4]]));
    for (let i = 0; i < 5000; i++) {
      collector.send({ topic: i % 2 === 0 ? 'out' : 'other', partition: i % 3 === 0 ? 1 : undefined, key: Buffer.from(String(i)), value: Buffer.alloc(200), timestamp: i, headers: [] });
    }
    expect(collector.pending).toBe(5000);
    expect(collector.partitionsFor('out')).toBe(4);
    await collector.flush();
    expect(collector.pending).toBe(0);
    const sent = (topic: string) => calls.filter((c) => c.topic === topic).flatMap((c) => c.records.map((r) => Number(r.key!.toString())));
    expect(sent('out')).toEqual(Array.from({ length: 2500 }, (_, i) => i * 2));
    expect(sent('other')).toEqual(Array.from({ length: 2500 }, (_, i) => i * 2 + 1));
    for (const call of calls) expect(call.records.reduce((sum, r) => sum + (r.value?.length ?? 0), 0)).toBeLessThan(300 * 1024);
    expect(calls.find((c) => c.topic === 'out')!.records[0]!.partition).toBe(1);
    await collector.flush();
    expect(calls.length).toBeGreaterThan(2);
  });

  it('fails on a record the cluster refuses, or drops just that record under logAndContinue', async () => {
    const refusing = (calls: ClusterRecord[][]): Cluster => ({
      produce: async (_topic: string, records: readonly ClusterRecord[]) => {
        if (records.some((r) => r.value!.length > 1000)) throw new StreamsError('RECORD_TOO_LARGE', 'too large');
        calls.push([...records]);
      },
    } as Partial<Cluster> as Cluster);
    const send = (collector: ClusterCollector) => {
      for (const size of [10, 5000, 20]) collector.send({ topic: 't', partition: 0, key: null, value: Buffer.alloc(size), timestamp: 0, headers: [] });
    };
    const strict = new ClusterCollector(refusing([]), new Map());
    send(strict);
    await expect(strict.flush()).rejects.toThrow(/too large/);
    const kept: ClusterRecord[][] = [];
    const lenient = new ClusterCollector(refusing(kept), new Map(), logAndContinue());
    send(lenient);
    await lenient.flush();
    expect(kept.flat().map((r) => r.value!.length)).toEqual([10, 20]);
    expect(lenient.skipped).toBe(1);
  });

  it('never drops records under logAndContinue because the disk is full: that fails the flush', async () => {
    const full = { produce: async () => { throw new StreamsError('STORAGE_ERROR', 't-0: could not append: ENOSPC'); } } as Partial<Cluster> as Cluster;
    const lenient = new ClusterCollector(full, new Map(), logAndContinue());
    lenient.send({ topic: 't', partition: 0, key: null, value: Buffer.alloc(10), timestamp: 0, headers: [] });
    await expect(lenient.flush()).rejects.toThrow(/ENOSPC/);
    expect(lenient.skipped).toBe(0);
  });
});
