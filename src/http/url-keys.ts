import { StreamsError } from '../common/index.ts';
import { Serdes } from '../serde/index.ts';
import type { Serde } from '../serde/index.ts';

/** How a key written in a URL becomes the store's key: parse the text, then serialize as the store does. */
export interface UrlKeyFormat {
  readonly name: string;
  parse(text: string): unknown;
  readonly serde: Serde<unknown>;
}

const INT32 = 2 ** 31;

/**
 * The key formats of `?keySerde=` (default `string`), named like the CLI's serdes: a URL key is
 * text, so a store whose keys are numbers, JSON or bytes is addressed by the text form of its key.
 */
const FORMATS: ReadonlyMap<string, UrlKeyFormat> = new Map([
  format('string', (text) => text, Serdes.String()),
  format('long', (text) => wholeNumber(text, 'long', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), Serdes.Long()),
  format('integer', (text) => wholeNumber(text, 'integer', -INT32, INT32 - 1), Serdes.Integer()),
  format('double', (text) => {
    const value = Number(text);
    if (text.trim() === '' || Number.isNaN(value)) throw badKey(text, 'double', 'a number');
    return value;
  }, Serdes.Double()),
  format('json', (text) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw badKey(text, 'json', 'JSON text (a string key needs its quotes: "alice")');
    }
  }, Serdes.Json()),
  format('bytes', (text) => Buffer.from(text, 'base64'), Serdes.Bytes()),
].map((f) => [f.name, f]));

/**
 * The key format named by `?keySerde=` (or `string` when absent).
 *
 * @example
 * urlKeyFormat('long').parse('42'); // 42, serialized with Serdes.Long() to find its partition
 */
export function urlKeyFormat(name: string | null): UrlKeyFormat {
  const found = FORMATS.get(name ?? 'string');
  if (found === undefined) {
    throw new StreamsError('INVALID_ARGUMENT', `unknown keySerde "${name}"; use one of ${[...FORMATS.keys()].join(', ')}`);
  }
  return found;
}

function format<K>(name: string, parse: (text: string) => K, serde: Serde<K>): UrlKeyFormat {
  return { name, parse, serde: serde as unknown as Serde<unknown> };
}

function wholeNumber(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) throw badKey(text, name, `a whole number from ${min} to ${max}`);
  return value;
}

function badKey(text: string, name: string, wanted: string): StreamsError {
  return new StreamsError('INVALID_ARGUMENT', `key ${JSON.stringify(text)} is not a ${name} key: with keySerde=${name} write ${wanted}`);
}
