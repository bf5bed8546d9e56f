import { isStreamsError } from '../common/index.ts';

/**
 * The one line the command prints for an error that ends it: a StreamsError's message (it names
 * what and where); for a file-system error, the call, the path and the errno code; for anything
 * else its message and where to find more. The stack trace is for `--verbose`.
 */
export function failureLine(error: unknown): string {
  if (isStreamsError(error)) return error.message;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof code === 'string' && typeof syscall === 'string') {
    return `${syscall} ${path ?? ''} failed: ${code} (${(error as Error).message}); run with --verbose for the stack trace`.replace('  ', ' ');
  }
  return `${error instanceof Error ? error.message : String(error)}; run with --verbose for the stack trace`;
}

/** The stack trace of an error and of every cause below it, for `--verbose`. */
export function failureDetail(error: unknown): string {
  const lines: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 10; current = (current as { cause?: unknown }).cause, depth++) {
    lines.push(depth === 0 ? '' : 'caused by:', current instanceof Error ? (current.stack ?? current.message) : String(current));
  }
  return lines.filter((line) => line !== '').join('\n');
}

/**
 * Makes SIGINT and SIGTERM always end the process: the first lets the running command stop
 * cleanly (commit, close) when it listens for it, else ends the process at once; a second one
 * ends it at once, for a clean stop that hangs.
 */
export function endOnSecondSignal(err: (line: string) => void): void {
  let received = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      received += 1;
      const othersListen = process.listenerCount('SIGINT') + process.listenerCount('SIGTERM') > 2;
      if (received === 1 && othersListen) return;
      if (received > 1) err(`kstreams: ${signal} again: stopping now, without a clean close`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
