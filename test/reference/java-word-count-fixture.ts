import type { ChildProcess } from 'node:child_process';

/**
 * What the suites that run the Java word count (JavaWordCount) share: its input lines with the
 * counts they must end at, and a wait for a line of its output.
 */

const LINES = ['the quick fox', 'The lazy dog', 'a fox, a dog', 'jumps over the dog'];

/** `count` lines of text, and each word's count over all of them (lower-cased, split at non-word characters, as the app does). */
export function wordCountInput(count: number): { lines: string[]; expected: Map<string, number> } {
  const lines = Array.from({ length: count }, (_, i) => LINES[i % LINES.length]!);
  const expected = new Map<string, number>();
  for (const line of lines) for (const word of line.toLowerCase().split(/\W+/).filter(Boolean)) expected.set(word, (expected.get(word) ?? 0) + 1);
  return { lines, expected };
}

/** Resolves when the Java app prints a line matching `pattern`; rejects on its `error ` line or after `timeoutMs`, with its last output. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no "${pattern}" from the Java app within ${timeoutMs} ms:\n${output.slice(-2_000)}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/^error /m.test(output)) reject(new Error(`the Java app failed:\n${output.slice(-2_000)}`));
      if (pattern.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}
