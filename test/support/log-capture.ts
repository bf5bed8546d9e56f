/**
 * Keeps the log lines of in-process code out of the test output (a Vitest setup file): a test
 * that feeds bad input on purpose makes the code warn, and those lines would read as problems.
 * Every line is kept instead, for the test to assert with `loggedLines`, and printed only when
 * the test fails.
 */
import { beforeEach } from 'vitest';
import { setLogSink, type LogLevel } from '../../src/common/index.ts';

export interface LoggedLine {
  readonly level: LogLevel;
  readonly component: string;
  readonly message: string;
}

const lines: LoggedLine[] = [];
setLogSink((level, component, message) => void lines.push({ level, component, message }));

/** The lines logged since the current test started, of one level when given. */
export function loggedLines(level?: LogLevel): LoggedLine[] {
  return lines.filter((line) => level === undefined || line.level === level);
}

beforeEach((context) => {
  lines.length = 0;
  context.onTestFailed(() => {
    for (const line of lines) process.stderr.write(`${line.level.toUpperCase().padEnd(5)} [${line.component}] ${line.message}\n`);
  });
});
