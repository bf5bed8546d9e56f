import { describe, expect, it } from 'vitest';
import { ProducedLog } from '../../src/testing/produced-log.ts';

describe('ProducedLog', () => {
  it('gives back every field of every record, null and empty bytes and an unset partition included', () => {
    const log = new ProducedLog('out');
    const headers = [{ key: 'h', value: Buffer.from('v') }];
    log.append({ topic: 'out', partition: 2, key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: 5, headers });
    log.append({ topic: 'out', partition: undefined, key: null, value: Buffer.alloc(0), timestamp: 2 ** 40, headers: [] });
    log.append({ topic: 'out', partition: 0, key: Buffer.alloc(0), value: null, timestamp: 0, headers: [] });
    expect(log.size).toBe(3);
    expect(log.records()).toEqual([
      { topic: 'out', partition: 2, key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: 5, headers },
      { topic: 'out', partition: undefined, key: null, value: Buffer.alloc(0), timestamp: 2 ** 40, headers: [] },
      { topic: 'out', partition: 0, key: Buffer.alloc(0), value: null, timestamp: 0, headers: [] },
    ]);
  });

  it('keeps records read before it grew unchanged, and copies what it is given', () => {
    const log = new ProducedLog('out');
    const given = Buffer.from('first');
    log.append({ topic: 'out', partition: 0, key: given, value: Buffer.alloc(3000, 1), timestamp: 1, headers: [] });
    const early = log.record(0);
    given.write('XXXXX');
    for (let i = 0; i < 50; i++) log.append({ topic: 'out', partition: 0, key: Buffer.from(`k${i}`), value: Buffer.alloc(1000, i), timestamp: i, headers: [] });
    expect(early.key).toEqual(Buffer.from('first'));
    expect(log.record(0).key).toEqual(Buffer.from('first'));
    expect(log.record(0).value).toEqual(Buffer.alloc(3000, 1));
    expect(log.record(50).key).toEqual(Buffer.from('k49'));
    expect(log.record(50).value).toEqual(Buffer.alloc(1000, 49));
  });
});

describe('ProducedLog across chunks and pages', () => {
  it('gives back records spread over many chunks and pages, empty and oversized ones included', () => {
    const log = new ProducedLog('out');
    const expected: Array<{ key: Buffer | null; value: Buffer | null; timestamp: number; partition: number | undefined }> = [];
    for (let i = 0; i < 5000; i++) {
      const key = i % 7 === 0 ? null : Buffer.from(`key-${i}`);
      const value = i === 0 ? Buffer.alloc(0) : i % 1000 === 1 ? Buffer.alloc(70_000 + i, i % 256) : Buffer.alloc(i % 40, i % 256);
      const partition = i % 3 === 0 ? undefined : i % 5;
      log.append({ topic: 'out', partition, key, value, timestamp: i * 1000, headers: [] });
      expected.push({ key, value, timestamp: i * 1000, partition });
    }
    expect(log.size).toBe(5000);
    const same = (a: Buffer | null, b: Buffer | null) => (a === null || b === null ? a === b : a.equals(b));
    const wrong: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const record = log.record(i);
      const want = expected[i]!;
      if (!same(record.key, want.key) || !same(record.value, want.value) || record.timestamp !== want.timestamp || record.partition !== want.partition) wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });
});
