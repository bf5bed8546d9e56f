import { isStreamsError } from '../common/index.ts';
import { brokerCommand } from './broker-command.ts';
import { consumeCommand } from './consume-command.ts';
import { describeCommand } from './describe-command.ts';
import { endOnSecondSignal, failureDetail, failureLine } from './failure.ts';
import { produceCommand } from './produce-command.ts';
import { resetCommand } from './reset-command.ts';
import { runCommand } from './run-command.ts';
import { topicsCommand } from './topics-command.ts';

const usage = `usage: kstreams <command> [options]

Stream processing for TypeScript with an embedded log engine.

commands:
  run        run a streams application on the embedded log engine
  broker     serve the embedded log engine over the Kafka protocol (for Kafka clients and tools)
  topics     list, create, describe and delete topics (embedded engine or --bootstrap-server)
  produce    append lines from standard input to a topic
  consume    print the records of a topic
  reset      reset an application to reprocess its input (offsets, internal topics, local state)
  describe   print the topology an application module builds (Kafka's text or Mermaid)

Run \`kstreams <command> --help\` for a command's options; --verbose (with any command) prints
the stack trace of an error.`;

/** Runs the command line; returns the exit code (0 ok, 1 failure, 2 bad arguments). */
export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [command, ...rest] = argv.filter((arg) => arg !== '--verbose');
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(usage);
        return command === undefined ? 2 : 0;
      case 'topics':
        return await topicsCommand(rest, out);
      case 'produce':
        return await produceCommand(rest, out, process.stdin);
      case 'run':
        return await runCommand(rest, out);
      case 'broker': {
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        return await brokerCommand(rest, out, stopped);
      }
      case 'describe':
        return await describeCommand(rest, out);
      case 'reset':
        return await resetCommand(rest, out);
      case 'consume': {
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        try {
          return await consumeCommand(rest, out, abort.signal);
        } finally {
          process.off('SIGINT', stop);
        }
      }
      default:
        err(`kstreams: unknown command '${command}'; run \`kstreams --help\` to see the commands`);
        return 2;
    }
  } catch (error) {
    err(`kstreams: ${failureLine(error)}`);
    if (verbose) err(failureDetail(error));
    return isStreamsError(error, 'INVALID_ARGUMENT') ? 2 : 1;
  }
}

/** The `kstreams` process: `main` with SIGINT and SIGTERM that always end it (see endOnSecondSignal). */
export function runProcess(argv: string[]): Promise<number> {
  endOnSecondSignal(console.error);
  return main(argv);
}
