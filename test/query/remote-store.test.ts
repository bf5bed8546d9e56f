import { describe, expect, it } from 'vitest';
import { QueryableStoreTypes, Serdes, StreamsError, type Windowed } from '../../src/index.ts';
import { RemoteStore, type RemoteRead } from '../../src/query/index.ts';

/**
 * The read-only stand-in for a store in another thread: reads go through one function, answers
 * are rebuilt as the local store would give them (Buffers, windowed keys), and the store types of
 * interactive queries take it by its kind.
 */
const cloned = <T>(value: T): T => structuredClone(value);

describe('RemoteStore', () => {
  it('gives Buffers back as Buffers and windowed keys back as Windowed keys', () => {
    const calls: Array<[string, readonly unknown[]]> = [];
    const read: RemoteRead = (method, args) => {
      calls.push([method, args]);
      if (method === 'fetchSession') return cloned({ value: Buffer.from('agg') });
      return cloned({ entries: [{ key: { key: Buffer.from('k'), window: { start: 0, end: 10 } }, value: 3 }] });
    };
    const sessions = new RemoteStore('sessions', 'session', 'app-sessions-changelog', read);
    expect(Buffer.isBuffer(sessions.fetchSession('k', 0, 10))).toBe(true);
    const [entry] = [...sessions.findSessions('k', 0, 10)];
    expect(Buffer.isBuffer((entry!.key as Windowed<Buffer>).key)).toBe(true);
    expect(String(entry!.key)).toBe('[k@0/10]');
    expect(calls.map(([method]) => method)).toEqual(['fetchSession', 'findSessions']);
  });

  it('keys single-key window fetches by window start, other window reads by Windowed keys', () => {
    const read: RemoteRead = (method, args) => (method === 'fetch' && args.length === 3
      ? { entries: [{ key: 100, value: 1 }] }
      : { entries: [{ key: { key: 'a', window: { start: 100, end: 200 } }, value: 1 }] });
    const windows = new RemoteStore('windows', 'window', 'app-windows-changelog', read);
    expect([...windows.fetch('a', 0, 500) as Iterable<{ key: unknown }>].map((e) => e.key)).toEqual([100]);
    expect([...windows.fetchAll(0, 500)].map((e) => String(e.key))).toEqual(['[a@100/200]']);
  });

  it('sends a prefix scan\'s prefix as the bytes its serde makes with the changelog topic', () => {
    const seen: unknown[] = [];
    const read: RemoteRead = (_method, args) => {
      seen.push(...args);
      return { entries: [] };
    };
    const topics: string[] = [];
    const serde = { serialize: (topic: string, data: string | null) => (topics.push(topic), Serdes.String().serialize(topic, data)), deserialize: Serdes.String().deserialize };
    [...new RemoteStore('counts', 'key-value', 'app-counts-changelog', read).prefixScan('user-1', serde)];
    expect(seen).toEqual([Buffer.from('user-1')]);
    expect(topics).toEqual(['app-counts-changelog']);
  });

  it('is taken by the store types of its kind only, and cannot be written, flushed or closed', () => {
    const store = new RemoteStore('counts', 'timestamped-key-value', 'app-counts-changelog', () => ({ value: { value: 7, timestamp: 5 } }));
    expect(QueryableStoreTypes.keyValueStore().accepts(store)).toBe(true);
    expect(QueryableStoreTypes.timestampedKeyValueStore().accepts(store)).toBe(true);
    expect(QueryableStoreTypes.windowStore().accepts(store)).toBe(false);
    expect(QueryableStoreTypes.keyValueStore<string, number>().create('counts', () => [store]).get('a')).toBe(7);
    expect(() => store.flush()).toThrow(StreamsError);
    expect(() => store.close()).toThrow(/read-only view/);
  });
});
