import { parseArgs, type ParseArgsConfig } from 'node:util';
import { StreamsError } from '../common/index.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
/** Spelled out so declaration emit can name it (node:util does not export its option types). */
type ParsedValues<O extends Options> = ReturnType<typeof parseArgs<{ options: O & { help: { type: 'boolean'; short: 'h' } }; strict: true; allowPositionals: true }>>['values'];

/**
 * Strict argument parsing for one command: unknown flags, missing values and stray positionals
 * become INVALID_ARGUMENT errors that name the problem and point to the command's --help.
 */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, positionals: { min: number; max: number }): { values: ParsedValues<O>; positionals: string[]; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new StreamsError('INVALID_ARGUMENT', `${(error as Error).message.replace(/\. To specify.*$/s, '')}; run \`kstreams ${command} --help\``);
  }
  const help = (parsed.values as { help?: boolean }).help === true;
  if (!help && (parsed.positionals.length < positionals.min || parsed.positionals.length > positionals.max)) {
    const expected = positionals.min === positionals.max ? `${positionals.min}` : `${positionals.min} to ${positionals.max}`;
    throw new StreamsError('INVALID_ARGUMENT', `\`kstreams ${command}\` takes ${expected} argument(s), got ${parsed.positionals.length}; run \`kstreams ${command} --help\``);
  }
  return { values: parsed.values, positionals: parsed.positionals, help };
}

/** A whole number option (`--partitions 3`), or the fallback when absent. */
export function intOption(command: string, flag: string, raw: string | boolean | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isSafeInteger(value) || value < min) {
    throw new StreamsError('INVALID_ARGUMENT', `--${flag} must be a whole number >= ${min}, got '${String(raw)}'; run \`kstreams ${command} --help\``);
  }
  return value;
}

/** Options every command on the embedded engine takes. */
export const dataDirOption = { 'data-dir': { type: 'string' } } as const;
export const DEFAULT_DATA_DIR = './kstreams-data';
/** The help line of `--data-dir`, its text starting at `column` like the lines around it. */
export function dataDirHelp(column: number): string {
  return `  ${'--data-dir DIR'.padEnd(column - 2)}the log engine's data directory (default ${DEFAULT_DATA_DIR})`;
}

/** The topic of `produce`/`consume`: the argument, or Kafka's `--topic T`, not both. */
export function topicOf(command: string, positionals: string[], flag: string | boolean | undefined): string {
  const topic = positionals[0] ?? (flag as string | undefined);
  if (topic === undefined || (positionals[0] !== undefined && flag !== undefined)) {
    throw new StreamsError('INVALID_ARGUMENT', `\`kstreams ${command}\` takes one topic: as its argument or as --topic T; run \`kstreams ${command} --help\``);
  }
  return topic;
}
