import { describe, expect, it } from 'vitest';
import { Stores } from '../../src/state/index.ts';
import type { SessionBytesStoreSupplier, SessionStore } from '../../src/state/index.ts';
import { Serdes, windowed } from '../../src/serde/index.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';
import { tempDir } from '../support/temp-dir.ts';

const DAY = 86_400_000;

async function open(supplier: SessionBytesStoreSupplier, context: FakeStoreContext): Promise<SessionStore<string, number>> {
  const store = Stores.sessionStoreBuilder(supplier, Serdes.String(), Serdes.Long()).build();
  await store.init(context, store);
  return store;
}

const pairs = <K, V>(it: Iterable<{ key: K; value: V }>) => [...it].map(({ key, value }) => [String(key), value]);

describe.each([
  ['in-memory', (retention: number) => Stores.inMemorySessionStore('s', retention)],
  ['leveldb', (retention: number) => Stores.persistentSessionStore('s', retention)],
] as const)('%s session store', (_kind, supplier) => {
  const context = () => new FakeStoreContext({ stateDir: tempDir() });

  it('finds the sessions that overlap [earliest end, latest start], by end time', async () => {
    const store = await open(supplier(DAY), context());
    store.put(windowed('a', 0, 10), 1);
    store.put(windowed('a', 20, 30), 2);
    store.put(windowed('a', 40, 40), 3);
    store.put(windowed('ab', 20, 30), 9);
    expect(pairs(store.findSessions('a', 10, 40))).toEqual([['[a@0/10]', 1], ['[a@20/30]', 2], ['[a@40/40]', 3]]);
    expect(pairs(store.findSessions('a', 11, 39))).toEqual([['[a@20/30]', 2]]);
    expect(pairs(store.backwardFindSessions('a', 0, 100))).toEqual([['[a@40/40]', 3], ['[a@20/30]', 2], ['[a@0/10]', 1]]);
    expect(pairs(store.fetch('a', 'ab'))).toEqual([['[a@0/10]', 1], ['[a@20/30]', 2], ['[a@40/40]', 3], ['[ab@20/30]', 9]]);
  });

  it('fetches one session exactly and removes it', async () => {
    const store = await open(supplier(DAY), context());
    store.put(windowed('a', 0, 10), 1);
    expect(store.fetchSession('a', 0, 10)).toBe(1);
    expect(store.fetchSession('a', 0, 11)).toBeNull();
    store.remove(windowed('a', 0, 10));
    expect(pairs(store.fetch('a'))).toEqual([]);
  });

  it('forgets sessions that ended more than the retention ago', async () => {
    const store = await open(supplier(100), context());
    store.put(windowed('a', 0, 10), 1);
    store.put(windowed('a', 150, 200), 2);
    store.put(windowed('a', 5, 20), 3); // ended before 200 - 100 + 1: dropped
    expect(pairs(store.fetch('a'))).toEqual([['[a@150/200]', 2]]);
  });

  it('is rebuilt from its changelog', async () => {
    const ctx = context();
    const store = await open(supplier(DAY), ctx);
    store.put(windowed('a', 0, 10), 1);
    store.put(windowed('a', 0, 10), null);
    store.put(windowed('a', 0, 20), 2);
    await store.close();
    const restoredContext = context();
    const restored = await open(supplier(DAY), restoredContext);
    await restoredContext.restoreCallbackFor('s')(ctx.changelog.map(({ key, value, timestamp }) => ({ key, value, timestamp })));
    expect(pairs(restored.fetch('a'))).toEqual([['[a@0/20]', 2]]);
  });
});

describe('persistent session store expiry', () => {
  it('deletes from disk the sessions that ended before the live segments, at epoch times', async () => {
    const epoch = 1_700_000_000_000;
    const stateDir = tempDir();
    const store = await open(Stores.persistentSessionStore('s', 120_000), new FakeStoreContext({ stateDir }));
    store.put(windowed('a', epoch, epoch + 10), 1);
    store.put(windowed('ab', epoch + 100_000, epoch + 290_000), 2);
    store.put(windowed('b', epoch, epoch + 400_000), 3); // ends past the cutoff of the segments dropped here
    store.put(windowed('c', epoch + 500_000, epoch + 500_000), 4);
    await store.close();
    // Reopened, the store has no memory of stream time: what it returns is what is left on disk.
    const reopened = await open(Stores.persistentSessionStore('s', DAY), new FakeStoreContext({ stateDir }));
    expect(pairs(reopened.fetch(null, null))).toEqual([[`[b@${epoch}/${epoch + 400_000}]`, 3], [`[c@${epoch + 500_000}/${epoch + 500_000}]`, 4]]);
    await reopened.close();
  });
});
