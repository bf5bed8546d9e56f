import { describe, expect, it } from 'vitest';
import { distributeTasks } from '../../src/runtime/thread-task-distribution.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `0_${i}`);
const all = () => true;

describe('distributeTasks: an instance shares its tasks among its threads', () => {
  it('balances by count, give or take one', () => {
    const shares = distributeTasks(ids(5), ['t1', 't2', 't3'], new Map(), all);
    expect([...shares.values()].map((s) => s.length).sort()).toEqual([1, 2, 2]);
    expect([...shares.values()].flat().sort()).toEqual(ids(5));
  });

  it('spreads the stateful tasks first, so no thread holds all the stores', () => {
    const stateful = new Set(['1_0', '1_1']);
    const shares = distributeTasks(['0_0', '0_1', '1_0', '1_1'], ['t1', 't2'], new Map(), (id) => stateful.has(id));
    expect(shares.get('t1')!.filter((id) => stateful.has(id))).toHaveLength(1);
    expect(shares.get('t2')!.filter((id) => stateful.has(id))).toHaveLength(1);
  });

  it('keeps tasks where they ran: a new thread takes only its share, from the fullest threads', () => {
    const previous = new Map([['0_0', 't1'], ['0_1', 't1'], ['0_2', 't2'], ['0_3', 't2']]);
    const shares = distributeTasks(ids(4), ['t1', 't2', 't3'], previous, all);
    expect([...shares.values()].map((s) => s.length).sort()).toEqual([1, 1, 2]);
    const moved = ids(4).filter((id) => !shares.get(previous.get(id)!)!.includes(id));
    expect(moved).toHaveLength(1);
    expect(shares.get('t3')).toEqual(moved);
  });
});
