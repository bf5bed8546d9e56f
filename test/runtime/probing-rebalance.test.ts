import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProbingRebalance } from '../../src/runtime/probing-rebalance.ts';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('the leader\'s probing rebalance', () => {
  it('rebalances one interval after an assignment that left tasks waiting for warm-ups, and not after one that did not', async () => {
    let rebalances = 0;
    const probing = new ProbingRebalance(60_000, async () => void rebalances++);
    probing.afterAssignment(true);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(rebalances).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(rebalances).toBe(1);
    // The probe's own assignment still leaves tasks waiting: probe again; then one that moved them all (or that another member computed) stops probing.
    probing.afterAssignment(true);
    probing.afterAssignment(false);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(rebalances).toBe(1);
  });

  it('looks again at once after an assignment made without current end offsets; never after close()', async () => {
    let rebalances = 0;
    const probing = new ProbingRebalance(600_000, async () => void rebalances++);
    probing.afterAssignment(true, true);
    await vi.advanceTimersByTimeAsync(0);
    expect(rebalances).toBe(1);
    probing.afterAssignment(true);
    probing.close();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(rebalances).toBe(1);
  });
});
