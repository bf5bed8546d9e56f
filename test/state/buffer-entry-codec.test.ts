import { describe, expect, it } from 'vitest';
import { isStreamsError } from '../../src/common/index.ts';
import { decodeBufferEntry, encodeBufferEntry } from '../../src/state/buffer-entry-codec.ts';

describe('suppression buffer changelog entries', () => {
  it('round-trips prior, old and new values and headers, nulls included', () => {
    const headers = [{ key: 'trace', value: Buffer.from('t1') }, { key: 'é', value: null }];
    const entry = { time: 7, timestamp: 9, priorValue: Buffer.from('p'), oldValue: null, newValue: Buffer.from('new'), headers };
    expect(decodeBufferEntry(encodeBufferEntry(entry), 'buffer')).toEqual(entry);
  });

  it('round-trips times and timestamps across the 32-bit boundary, negative ones included', () => {
    for (const [time, timestamp] of [[-1, -1], [0xffff_ffff, 0x1_0000_0000], [1_700_000_000_000, Number.MAX_SAFE_INTEGER], [Number.MIN_SAFE_INTEGER, 0]]) {
      const entry = { time: time!, timestamp: timestamp!, priorValue: null, oldValue: null, newValue: Buffer.from('v'), headers: [] };
      const bytes = encodeBufferEntry(entry);
      expect(bytes.readBigInt64BE(1)).toBe(BigInt(time!));
      expect(decodeBufferEntry(bytes, 'buffer')).toEqual(entry);
    }
  });

  it('refuses a time or timestamp that is not a whole number of ms with a coded error, writing nothing', () => {
    for (const [time, timestamp] of [[1.5, 0], [0, Number.NaN], [2 ** 60, 0]]) {
      const entry = { time: time!, timestamp: timestamp!, priorValue: null, oldValue: null, newValue: Buffer.from('v'), headers: [] };
      expect(() => encodeBufferEntry(entry)).toThrow(expect.objectContaining({ code: 'INVALID_TIMESTAMP' }));
    }
  });

  it('restores version 1 entries, which had no old value, with the prior value in its place', () => {
    const v1 = Buffer.alloc(1 + 8 + 8 + 4 + 1 + 4 + 2);
    v1.writeInt8(1, 0);
    v1.writeBigInt64BE(5n, 1);
    v1.writeBigInt64BE(6n, 9);
    v1.writeInt32BE(1, 17);
    v1.write('p', 21);
    v1.writeInt32BE(2, 22);
    v1.write('nv', 26);
    expect(decodeBufferEntry(v1, 'buffer')).toEqual({ time: 5, timestamp: 6, priorValue: Buffer.from('p'), oldValue: Buffer.from('p'), newValue: Buffer.from('nv'), headers: [] });
  });

  it('rejects a truncated entry with CORRUPT_RECORD naming the store', () => {
    const bytes = encodeBufferEntry({ time: 1, timestamp: 1, priorValue: null, oldValue: Buffer.from('old'), newValue: Buffer.from('new'), headers: [] });
    const error = (() => { try { decodeBufferEntry(bytes.subarray(0, bytes.length - 2), 'counts-buffer'); } catch (e) { return e; } })();
    expect(isStreamsError(error) && error.code).toBe('CORRUPT_RECORD');
    expect(String(error)).toContain('counts-buffer');
  });
});
