import { readFileSync } from 'node:fs';
import { StreamsError } from '../common/index.ts';
import { Serdes } from '../serde/index.ts';
import type { Serde } from '../serde/index.ts';
import type { StreamsConfig } from './streams-config-shape.ts';

/** Kafka's serde classes, as a Java application's properties name them, and kstreams' equal serde. */
const JAVA_SERDE_NAMES: ReadonlyArray<readonly [string, () => Serde<any>]> = [
  ['StringSerde', Serdes.String], ['LongSerde', Serdes.Long], ['IntegerSerde', Serdes.Integer], ['DoubleSerde', Serdes.Double],
  ['BytesSerde', Serdes.Bytes], ['ByteArraySerde', Serdes.ByteArray], ['VoidSerde', Serdes.Void],
];
const JAVA_SERDES = new Map<string, () => Serde<any>>(JAVA_SERDE_NAMES.flatMap(([name, serde]) => [
  [`org.apache.kafka.common.serialization.Serdes$${name}`, serde] as const,
  [`org.apache.kafka.common.serialization.Serdes.${name}`, serde] as const,
]));

const SERDE_KEYS = new Set(['default.key.serde', 'default.value.serde']);

/**
 * Parses Java's `.properties` text (what `java.util.Properties.load` reads): `key=value`,
 * `key: value` or `key value` lines, `#`/`!` comments, a trailing backslash continuing a line,
 * and the escapes `\t \n \r \f` and `\u` with four hex digits. A later line for the same key wins, as in Java.
 */
export function parseJavaProperties(text: string, source = 'properties'): Map<string, string> {
  const entries = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const firstLine = i + 1;
    while (endsWithContinuation(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    const separator = findSeparator(line);
    const rawKey = separator === -1 ? line : line.slice(0, separator);
    const rest = separator === -1 ? '' : line.slice(separator + 1).replace(/^[ \t\f]*[=:]?[ \t\f]*/, '');
    entries.set(unescape(rawKey, source, firstLine), unescape(rest, source, firstLine));
  }
  return entries;
}

/**
 * A streams config from a Java application's properties file, so its settings carry over: values
 * stay strings (kstreams reads numbers from strings), and Kafka's serde classes in
 * `default.key.serde`/`default.value.serde` become kstreams' equal serdes.
 *
 * @example
 * const streams = new KafkaStreams(topology, { ...readStreamsProperties('app.properties'), 'state.dir': './state' });
 */
export function readStreamsProperties(path: string): StreamsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new StreamsError('INVALID_CONFIG', `cannot read the properties file ${path}: ${(cause as Error).message}`, { cause });
  }
  const config: { [key: string]: unknown } = {};
  for (const [key, value] of parseJavaProperties(text, path)) {
    if (!SERDE_KEYS.has(key)) {
      config[key] = value;
      continue;
    }
    const serde = JAVA_SERDES.get(value);
    if (serde === undefined) {
      throw new StreamsError('INVALID_CONFIG', `${path}: "${key}" names ${value}, which has no kstreams equal; known: Kafka's String, Long, Integer, Double, Bytes, ByteArray and Void serdes — set other serdes in code`);
    }
    config[key] = serde();
  }
  return config;
}

function endsWithContinuation(line: string): boolean {
  const backslashes = /\\*$/.exec(line)![0].length;
  return backslashes % 2 === 1;
}

/** The index of the first unescaped `=`, `:` or whitespace: where the key ends. */
function findSeparator(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') i++;
    else if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') return i;
  }
  return -1;
}

function unescape(text: string, source: string, line: number): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|u.{0,4}|.)/g, (_match, escaped: string) => {
    if (escaped.startsWith('u') && escaped.length > 1) {
      if (!/^u[0-9a-fA-F]{4}$/.test(escaped)) throw new StreamsError('INVALID_CONFIG', `${source}:${line}: malformed \\u escape "\\${escaped}"`);
      return String.fromCharCode(Number.parseInt(escaped.slice(1), 16));
    }
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as { [c: string]: string })[escaped] ?? escaped;
  });
}
