/**
 * Polls `check` until it holds, failing after `timeoutMs` with what was awaited (`what` may be a
 * function, to describe the state at the moment of failure).
 */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string | (() => string), timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
