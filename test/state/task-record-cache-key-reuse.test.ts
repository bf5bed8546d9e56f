import { describe, expect, it } from 'vitest';
import { TaskRecordCache } from '../../src/state/index.ts';

const entry = (value: string) => ({ value: Buffer.from(value), dirty: true, timestamp: 0 });

describe('a record cache given one key Buffer rewritten between calls (a serializer reusing its output)', () => {
  it('finds each key by its bytes, not by the Buffer object', () => {
    const cache = new TaskRecordCache(1 << 20);
    const scratch = Buffer.from('alice');
    cache.put('counts', scratch, entry('1'));
    scratch.write('bobby');
    expect(cache.get('counts', scratch)).toBeUndefined();
    cache.put('counts', scratch, entry('2'));
    scratch.write('alice');
    expect(cache.get('counts', scratch)?.value?.toString()).toBe('1');
    expect(cache.get('counts', Buffer.from('bobby'))?.value?.toString()).toBe('2');
    expect(cache.size()).toBe(2);
  });
});
