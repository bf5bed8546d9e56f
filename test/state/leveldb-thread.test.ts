import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ThreadLevelDb } from '../../src/state/leveldb-thread.ts';
import { tempDir } from '../support/temp-dir.ts';

const b = (s: string) => Buffer.from(s, 'latin1');
const text = (items: Array<Buffer | null>) => items.map((item) => item?.toString('latin1') ?? null);

describe('a database on the LevelDB thread', () => {
  it('reads synchronously what asynchronous batches wrote, in steps of bounded size', async () => {
    const dir = tempDir();
    const first = await ThreadLevelDb.open(join(dir, 'one'));
    const second = await ThreadLevelDb.open(join(dir, 'two'));
    await first.batch([{ key: b('a'), value: b('1') }, { key: b('b'), value: b('2') }, { key: b('c'), value: b('3') }, { key: b('d'), value: b('4') }], true);
    await second.batch([{ key: b('a'), value: b('other') }], false);
    await first.batch([{ key: b('b'), value: null }], false);
    expect(first.getSync(b('a'))?.toString()).toBe('1');
    expect(first.getSync(b('b'))).toBeUndefined();
    expect(second.getSync(b('a'))?.toString()).toBe('other');
    expect((await first.getMany([b('c'), b('x')])).map((v) => v?.toString())).toEqual(['3', undefined]);

    const cursor = first.cursor({ gte: b('a'), lte: b('d') }, false, 2);
    expect(text(cursor.next())).toEqual(['a', '1', 'c', '3']);
    expect(text(cursor.next())).toEqual(['d', '4']);
    expect(cursor.next()).toEqual([]);
    const reverseKeys = first.cursor({ gte: b('a'), lt: b('d'), reverse: true }, true, 10);
    expect(text(reverseKeys.next())).toEqual(['c', 'a']);
    const early = first.cursor({ gte: b('a'), lt: b('z') }, true, 1);
    expect(text(early.next())).toEqual(['a']);
    early.close();
    expect((await first.entriesOf([{ gte: b('a'), lt: b('c') }, { gte: b('x'), lt: b('z') }])).map((entries) => entries.map(([k]) => k.toString()))).toEqual([['a'], []]);
    await first.close();
    await second.close();
  });

  it('refuses a second handle on one directory with LevelDB\'s code', async () => {
    const location = join(tempDir(), 'db');
    const db = await ThreadLevelDb.open(location);
    await expect(ThreadLevelDb.open(location)).rejects.toMatchObject({ code: 'LEVEL_LOCKED' });
    await db.close();
    // The thread stopped with its last database; a new one starts for the next.
    const again = await ThreadLevelDb.open(location);
    expect(again.getSync(b('missing'))).toBeUndefined();
    await again.close();
  });
});
