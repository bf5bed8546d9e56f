import { describe, expect, it } from 'vitest';
import { isStreamsError } from '../../src/index.ts';
import type { StateStore } from '../../src/index.ts';
import { localStoresFor } from '../../src/runtime/local-store-lookup.ts';
import type { LocalStores, QueryableTask } from '../../src/runtime/local-store-lookup.ts';

function store(name: string, open = true): StateStore {
  return { name, persistent: false, init: () => undefined, flush: () => undefined, close: () => undefined, isOpen: () => open };
}

function task(partition: number, state: string, stores: StateStore[]): QueryableTask {
  return { taskId: `0_${partition}`, partition, state, getStore: (name) => stores.find((s) => s.name === name) };
}

const counts = [store('counts'), store('counts'), store('counts'), store('counts')];
function local(overrides: Partial<LocalStores> = {}): LocalStores {
  return {
    settled: true,
    activeTasks: [task(2, 'RUNNING', [counts[2]!]), task(0, 'RUNNING', [counts[0]!]), task(3, 'RESTORING', [counts[3]!])],
    standbyTasks: [task(1, 'RUNNING', [counts[1]!])],
    globalStores: new Map([['prices', store('prices')]]),
    storeNames: new Set(['counts', 'prices']),
    ...overrides,
  };
}

const codeOf = (lookup: () => unknown): string => {
  try {
    lookup();
    return 'none';
  } catch (error) {
    return isStreamsError(error) ? `${error.code}: ${error.message}` : String(error);
  }
};

describe('localStoresFor (which local stores an interactive query reads)', () => {
  const active = { partition: undefined, staleStoresEnabled: false };
  const stale = { partition: undefined, staleStoresEnabled: true };

  it('reads running active tasks in partition order; a stale read adds restoring tasks and standby copies', () => {
    expect(localStoresFor(local(), 'counts', active)).toEqual([counts[0], counts[2]]);
    expect(localStoresFor(local(), 'counts', stale)).toEqual([counts[0], counts[1], counts[2], counts[3]]);
    expect(localStoresFor(local(), 'counts', { partition: 1, staleStoresEnabled: true })).toEqual([counts[1]]);
    expect(localStoresFor(local(), 'prices', active)).toHaveLength(1);
  });

  it('refuses while rebalancing, for a partition held elsewhere or still restoring, for a closing store, and for an unknown name', () => {
    expect(codeOf(() => localStoresFor(local({ settled: false }), 'counts', active))).toMatch(/^INVALID_STATE_STORE: .*rebalancing; retry/);
    expect(localStoresFor(local({ settled: false }), 'counts', stale)).toHaveLength(4);
    expect(codeOf(() => localStoresFor(local(), 'counts', { partition: 1, staleStoresEnabled: false }))).toMatch(/^INVALID_STATE_STORE: cannot get partition 1 of state store "counts": no local task holds it/);
    expect(codeOf(() => localStoresFor(local(), 'counts', { partition: 3, staleStoresEnabled: false }))).toMatch(/^INVALID_STATE_STORE/);
    const closing = local({ activeTasks: [task(0, 'RUNNING', [store('counts', false)])] });
    expect(codeOf(() => localStoresFor(closing, 'counts', active))).toMatch(/^INVALID_STATE_STORE: .*closing and may have migrated/);
    expect(codeOf(() => localStoresFor(local(), 'count', active))).toMatch(/^UNKNOWN_STATE_STORE: .*stores: counts, prices/);
  });
});
