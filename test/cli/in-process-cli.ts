import { Readable } from 'node:stream';
import { isStreamsError } from '../../src/common/index.ts';
import { main } from '../../src/cli/main.ts';
import { produceCommand } from '../../src/cli/produce-command.ts';

/** What one command printed and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Non-empty stdout lines. */
  readonly lines: string[];
}

/**
 * Runs a `kstreams` command in this process (no Node start-up per call): `produce` reads `stdin`,
 * every other command goes through `main`. Exit codes and error lines are main's.
 */
export async function cli(args: readonly string[], stdin = ''): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  if (args[0] === 'produce' && !args.includes('--help')) {
    try {
      code = await produceCommand(args.slice(1), (line) => out.push(line), Readable.from([stdin]));
    } catch (error) {
      if (!isStreamsError(error)) throw error;
      err.push(`kstreams: ${error.message}`);
      code = error.code === 'INVALID_ARGUMENT' ? 2 : 1;
    }
  } else {
    code = await main([...args], (line) => out.push(line), (line) => err.push(line));
  }
  const stdout = out.map((line) => `${line}\n`).join('');
  return { code, stdout, stderr: err.map((line) => `${line}\n`).join(''), lines: stdout.split('\n').filter((line) => line !== '') };
}
