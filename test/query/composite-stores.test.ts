import { describe, expect, it } from 'vitest';
import { CompositeReadOnlyKeyValueStore, CompositeReadOnlySessionStore, CompositeReadOnlyWindowStore, Serdes, windowed } from '../../src/index.ts';
import type { KeyValueIterator, ReadOnlyKeyValueStore, ReadOnlySessionStore, ReadOnlyWindowStore, Windowed } from '../../src/index.ts';
import { keyValueIterator } from '../../src/state/index.ts';

/** A sorted in-memory store standing for one task's store; counts the iterators it opened and closed. */
class TaskStore implements ReadOnlyKeyValueStore<string, number> {
  opened = 0;
  closed = 0;
  private readonly entries: Array<[string, number]>;
  constructor(entries: Record<string, number>) {
    this.entries = Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  get(key: string): number | null {
    return this.entries.find(([k]) => k === key)?.[1] ?? null;
  }
  range(from: string | null, to: string | null): KeyValueIterator<string, number> {
    return this.iterate(this.entries.filter(([k]) => (from === null || k >= from) && (to === null || k <= to)));
  }
  reverseRange(from: string | null, to: string | null): KeyValueIterator<string, number> {
    return this.iterate(this.entries.filter(([k]) => (from === null || k >= from) && (to === null || k <= to)).reverse());
  }
  all(): KeyValueIterator<string, number> {
    return this.iterate(this.entries);
  }
  reverseAll(): KeyValueIterator<string, number> {
    return this.iterate([...this.entries].reverse());
  }
  prefixScan<P>(prefix: P): KeyValueIterator<string, number> {
    return this.iterate(this.entries.filter(([k]) => k.startsWith(String(prefix))));
  }
  approximateNumEntries(): number {
    return this.entries.length;
  }
  private iterate(entries: ReadonlyArray<[string, number]>): KeyValueIterator<string, number> {
    this.opened++;
    const store = this;
    return keyValueIterator((function* () {
      try {
        for (const [key, value] of entries) yield { key, value };
      } finally {
        store.closed++;
      }
    })());
  }
}

const keysOf = <K>(iterator: Iterable<{ key: K }>) => [...iterator].map((e) => e.key);

describe('CompositeReadOnlyKeyValueStore (a key-value store over every local task)', () => {
  const task0 = () => new TaskStore({ b: 2, d: 4, f: 6 });
  const task1 = () => new TaskStore({ a: 1, c: 3, e: 5 });

  it('get returns the value from whichever task holds the key, null when none does', () => {
    const view = new CompositeReadOnlyKeyValueStore(() => [task0(), task1()]);
    expect(view.get('c')).toBe(3);
    expect(view.get('f')).toBe(6);
    expect(view.get('z')).toBeNull();
  });

  it('range and all return each task\'s entries in key order, one task after the other (as Kafka does, not merged)', () => {
    const view = new CompositeReadOnlyKeyValueStore(() => [task0(), task1()]);
    expect(keysOf(view.all())).toEqual(['b', 'd', 'f', 'a', 'c', 'e']);
    expect(keysOf(view.range('b', 'e'))).toEqual(['b', 'd', 'c', 'e']);
    expect(keysOf(view.reverseAll())).toEqual(['f', 'd', 'b', 'e', 'c', 'a']);
    expect(keysOf(view.reverseRange(null, 'c'))).toEqual(['b', 'c', 'a']);
    expect(keysOf(view.prefixScan('d', Serdes.String()))).toEqual(['d']);
    expect(view.approximateNumEntries()).toBe(6);
  });

  it('opens a task\'s iterator only when the previous one is exhausted, and close() closes the open one', () => {
    const [a, b] = [task0(), task1()];
    const iterator = new CompositeReadOnlyKeyValueStore(() => [a, b]).all();
    expect(iterator.next().value).toEqual({ key: 'b', value: 2 });
    expect([a.opened, b.opened]).toEqual([1, 0]);
    iterator.close();
    expect(a.closed).toBe(1);
    expect(iterator.next().done).toBe(true);
    expect(b.opened).toBe(0);
  });

  it('looks the tasks up on every call, so it follows tasks as they move, and passes on why they cannot be read', () => {
    let tasks: TaskStore[] = [task0()];
    const view = new CompositeReadOnlyKeyValueStore(() => {
      if (tasks.length === 0) throw new Error('rebalancing');
      return tasks;
    });
    expect(view.get('a')).toBeNull();
    tasks = [task0(), task1()];
    expect(view.get('a')).toBe(1);
    tasks = [];
    expect(() => view.get('a')).toThrow('rebalancing');
  });
});

function windowTask(windows: ReadonlyArray<[string, number, number]>): ReadOnlyWindowStore<string, number> {
  const sorted = [...windows].sort(([ka, sa], [kb, sb]) => (ka < kb ? -1 : ka > kb ? 1 : sa - sb));
  const inTime = (start: number, from: number, to: number) => start >= from && start <= to;
  const windowedIterator = (rows: typeof sorted) => keyValueIterator(rows.map(([key, start, value]) => ({ key: windowed(key, start, start + 10), value }))[Symbol.iterator]());
  const store = {
    fetch(a: string | null, b: unknown, c?: number, d?: number): unknown {
      if (d !== undefined) return windowedIterator(sorted.filter(([k, s]) => (a === null || k >= a) && (b === null || k <= (b as string)) && inTime(s, c!, d)));
      if (c !== undefined) return keyValueIterator(sorted.filter(([k, s]) => k === a && inTime(s, b as number, c)).map(([, key, value]) => ({ key, value }))[Symbol.iterator]());
      return sorted.find(([k, s]) => k === a && s === b)?.[2] ?? null;
    },
    fetchAll: (from: number, to: number) => windowedIterator(sorted.filter(([, s]) => inTime(s, from, to))),
    all: () => windowedIterator(sorted),
  };
  return store as unknown as ReadOnlyWindowStore<string, number>;
}

describe('CompositeReadOnlyWindowStore', () => {
  const view = new CompositeReadOnlyWindowStore(() => [windowTask([['b', 0, 1], ['b', 10, 2]]), windowTask([['a', 0, 7], ['c', 10, 9]])]);

  it('single-key reads come from the task that holds the key', () => {
    expect(view.fetch('a', 0)).toBe(7);
    expect(view.fetch('b', 10)).toBe(2);
    expect(view.fetch('z', 0)).toBeNull();
    expect([...view.fetch('b', 0, 100)]).toEqual([{ key: 0, value: 1 }, { key: 10, value: 2 }]);
    expect([...view.fetch('c', 0, 100)]).toEqual([{ key: 10, value: 9 }]);
    expect([...view.fetch('z', 0, 100)]).toEqual([]);
  });

  it('key-range and all-keys reads go through every task, task after task', () => {
    const described = (it: Iterable<{ key: Windowed<string>; value: number }>) => [...it].map(({ key, value }) => `${key.key}@${key.window.start}=${value}`);
    expect(described(view.fetchAll(0, 5))).toEqual(['b@0=1', 'a@0=7']);
    expect(described(view.fetch('a', 'b', 0, 100))).toEqual(['b@0=1', 'b@10=2', 'a@0=7']);
    expect(described(view.all())).toEqual(['b@0=1', 'b@10=2', 'a@0=7', 'c@10=9']);
  });
});

describe('CompositeReadOnlySessionStore', () => {
  const sessions = (rows: ReadonlyArray<[string, number, number, number]>): ReadOnlySessionStore<string, number> => {
    const iterate = (filtered: typeof rows) => keyValueIterator(filtered.map(([key, start, end, value]) => ({ key: windowed(key, start, end), value }))[Symbol.iterator]());
    return {
      fetchSession: (key: string, start: number, end: number) => rows.find(([k, s, e]) => k === key && s === start && e === end)?.[3] ?? null,
      fetch: (from: string | null, to?: string | null) => iterate(rows.filter(([k]) => (to === undefined ? k === from : (from === null || k >= from) && (to === null || k <= to)))),
    } as unknown as ReadOnlySessionStore<string, number>;
  };
  const view = new CompositeReadOnlySessionStore(() => [sessions([['b', 0, 5, 2]]), sessions([['a', 1, 3, 4], ['c', 0, 0, 1]])]);

  it('fetch(key) and fetchSession read the task holding the key; fetch(from, to) reads every task', () => {
    expect(view.fetchSession('a', 1, 3)).toBe(4);
    expect(view.fetchSession('a', 1, 4)).toBeNull();
    expect([...view.fetch('a')].map((e) => e.value)).toEqual([4]);
    expect([...view.fetch('a', 'c')].map((e) => `${e.key.key}=${e.value}`)).toEqual(['b=2', 'a=4', 'c=1']);
  });
});
