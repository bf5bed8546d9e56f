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
