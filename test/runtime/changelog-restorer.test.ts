import { describe, expect, it } from 'vitest';
import { StreamsError, isStreamsError } from '../../src/common/index.ts';
import type { Cluster, FetchedPage } from '../../src/client/index.ts';
import type { ChangelogRecord } from '../../src/state/index.ts';
import { ChangelogRestorer } from '../../src/runtime/changelog-restorer.ts';
import { RestoreTracker } from '../../src/runtime/restore-progress.ts';
import type { StreamTask } from '../../src/runtime/task/stream-task.ts';
import { loggedLines } from '../support/log-capture.ts';

const TOPIC = 'app-counts-changelog';

/** A changelog of `keys` (null: a record without a key), served three records per fetch; the records before `start` deleted. */
function changelog(keys: ReadonlyArray<string | null>, start = 0): Pick<Cluster, 'offsets' | 'fetch'> {
  const records = keys.map((key, offset) => ({ offset, key: key === null ? null : Buffer.from(key), value: Buffer.from(`v${offset}`), timestamp: offset, headers: [] }));
  return {
    offsets: async (topic) => {
      expect(topic).toBe(TOPIC);
      return { earliest: start, latest: records.length };
    },
    fetch: async (_topic, _partition, offset): Promise<FetchedPage> => {
      if (offset < start || offset > records.length) throw new StreamsError('OFFSET_OUT_OF_RANGE', `offset ${offset} is outside [${start}, ${records.length}]`);
      const page = records.slice(offset, offset + 3);
      return { records: page, nextOffset: offset + page.length };
    },
  };
}

/** A task with one store that records the pages it restores and its flushes. */
function fakeTask(persistent: boolean) {
  const pages: string[][] = [];
  let flushes = 0;
  const store = { persistent, flush: async () => void flushes++ };
  const task = {
    taskId: '0_1',
    partition: 1,
    getStore: (name: string) => (name === 'counts' ? store : undefined),
    restore: async (_name: string, records: ReadonlyArray<ChangelogRecord>) => void pages.push(records.map((r) => r.key.toString())),
  } as unknown as StreamTask;
  return { task, pages, flushes: () => flushes };
}

function restorer(keys: ReadonlyArray<string | null>, tracker = new RestoreTracker(), start = 0): ChangelogRestorer {
  return new ChangelogRestorer(changelog(keys, start) as Cluster, 'app', undefined, tracker);
}

describe('ChangelogRestorer', () => {
  it('hands the store each fetched page whole, flushes it when done, and logs the line tools parse', async () => {
    const { task, pages, flushes } = fakeTask(true);
    const tracker = new RestoreTracker();
    await restorer(['a', 'b', 'a', 'c', 'd'], tracker).restoreActive(task, ['counts'], undefined, undefined);
    expect(pages).toEqual([['a', 'b', 'a'], ['c', 'd']]);
    expect(flushes()).toBe(1);
    expect(tracker.snapshot()).toEqual([]);
    expect(loggedLines('info').map((l) => l.message)).toContainEqual(expect.stringMatching(/^task 0_1: restored "counts" from app-counts-changelog: 5 records in \d+ ms$/));
  });

  it('resumes a persistent store after its checkpoint, and restores any other store in full', async () => {
    const persistent = fakeTask(true);
    await restorer(['a', 'b', 'c', 'd']).restoreActive(persistent.task, ['counts'], new Map([['counts', 2]]), undefined);
    expect(persistent.pages.flat()).toEqual(['c', 'd']);
    const inMemory = fakeTask(false);
    await restorer(['a', 'b', 'c', 'd']).restoreActive(inMemory.task, ['counts'], new Map([['counts', 2]]), undefined);
    expect(inMemory.pages.flat()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a changelog record without a key, naming the topic, partition and offset', async () => {
    const { task } = fakeTask(true);
    const failure = await restorer(['a', 'b', 'c', null]).restoreActive(task, ['counts'], undefined, undefined).catch((error: unknown) => error);
    expect(isStreamsError(failure) && failure.code).toBe('INVALID_RECORD');
    expect((failure as Error).message).toContain('changelog app-counts-changelog partition 1 has a record without a key at offset 3');
  });

  it('moves a standby copy on by what it applied', async () => {
    const { task, pages } = fakeTask(true);
    const positions = new Map([['counts', 1]]);
    expect(await restorer(['a', 'b', 'c']).updateStandby(task, positions)).toBe(2);
    expect(pages).toEqual([['b', 'c']]);
    expect(positions.get('counts')).toBe(3);
  });

  it('moves a standby copy that fell behind a windowed changelog\'s deleted records on to the changelog\'s start', async () => {
    const { task, pages } = fakeTask(true);
    const positions = new Map([['counts', 1]]);
    const deleted = restorer(['a', 'b', 'c', 'd', 'e'], new RestoreTracker(), 3);
    expect(await deleted.updateStandby(task, positions)).toBe(0);
    expect(positions.get('counts')).toBe(3);
    expect(await deleted.updateStandby(task, positions)).toBe(2);
    expect(pages).toEqual([['d', 'e']]);
  });

  it('fails a standby copy whose position is past the changelog\'s end, naming it', async () => {
    const { task } = fakeTask(true);
    const failure = await restorer(['a']).updateStandby(task, new Map([['counts', 5]])).catch((error: unknown) => error);
    expect(isStreamsError(failure, 'OFFSET_OUT_OF_RANGE')).toBe(true);
    expect((failure as Error).message).toContain('changelog app-counts-changelog partition 1 ends before offset 5');
  });
});
