import { describe, expect, it } from 'vitest';
import { andThen, inOrder, repeatWhile } from '../../src/runtime/index.ts';

describe('maybe-async helpers', () => {
  it('inOrder stays synchronous while every step is', () => {
    const seen: number[] = [];
    const result = inOrder([1, 2, 3], (n) => { seen.push(n); });
    expect(result).toBeUndefined();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('inOrder waits for an asynchronous step before running the next', async () => {
    const seen: string[] = [];
    const result = inOrder([1, 2, 3], (n) => {
      seen.push(`start ${n}`);
      if (n === 2) return Promise.resolve().then(() => { seen.push('2 settled'); });
      return undefined;
    });
    expect(result).toBeInstanceOf(Promise);
    expect(seen).toEqual(['start 1', 'start 2']);
    await result;
    expect(seen).toEqual(['start 1', 'start 2', '2 settled', 'start 3']);
  });

  it('andThen chains without a Promise only when the first part was synchronous', async () => {
    expect(andThen(undefined, () => 5)).toBe(5);
    await expect(andThen(Promise.resolve(), () => 6)).resolves.toBe(6);
  });

  it('repeatWhile loops until the step says stop, across asynchronous steps', async () => {
    let n = 0;
    expect(repeatWhile(() => ++n < 3)).toBeUndefined();
    expect(n).toBe(3);
    let m = 0;
    await repeatWhile(() => (++m % 2 === 0 ? Promise.resolve(m < 6) : m < 6));
    expect(m).toBe(6);
  });
});
