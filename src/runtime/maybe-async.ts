/**
 * Runs `step` for each item in order, synchronously as long as every step is; once a step returns
 * a Promise, the rest run after it settles. Keeps store init/flush/close free of awaits when the
 * stores are in memory.
 */
export function inOrder<T>(items: Iterable<T>, step: (item: T) => void | Promise<void>): void | Promise<void> {
  const iterator = items[Symbol.iterator]();
  const runFrom = (): void | Promise<void> => {
    for (let next = iterator.next(); next.done !== true; next = iterator.next()) {
      const result = step(next.value);
      if (result instanceof Promise) return result.then(runFrom);
    }
    return undefined;
  };
  return runFrom();
}

/** Runs `then` after `first`, without a Promise when `first` did not return one. */
export function andThen<R>(first: void | Promise<void>, then: () => R | Promise<R>): R | Promise<R> {
  return first instanceof Promise ? first.then(then) : then();
}

/**
 * Calls `step` until it returns false, synchronously while it answers synchronously; once it
 * returns a Promise, continues after it settles.
 */
export function repeatWhile(step: () => boolean | Promise<boolean>): void | Promise<void> {
  for (;;) {
    const more = step();
    if (more instanceof Promise) return more.then((again) => (again ? repeatWhile(step) : undefined));
    if (!more) return undefined;
  }
}
