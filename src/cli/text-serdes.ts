import { readFileSync } from 'node:fs';
import { StreamsError } from '../common/index.ts';
import { Serdes, type Serde } from '../serde/index.ts';
import { REGISTRY_SERDE_NAMES, registryTextSerde } from './registry-text-serde.ts';

/**
 * How the command line turns record bytes into what people read and back: `format`/`parse` for
 * text lines, `toJson`/`fromJson` for JSON lines. Number layouts are Kafka's (big-endian), so the
 * bytes are what a Java producer or consumer with the same serializer writes or reads.
 */
export interface TextSerde {
  readonly name: string;
  /** @throws StreamsError INVALID_ARGUMENT when `text` is not a value of this serde. */
  parse(text: string): Buffer;
  /** @throws StreamsError DESERIALIZATION_ERROR when the bytes are not a value of this serde. */
  format(bytes: Buffer): string;
  /** @throws StreamsError INVALID_ARGUMENT */
  fromJson(value: unknown): Buffer;
  /** @throws StreamsError DESERIALIZATION_ERROR */
  toJson(bytes: Buffer): unknown;
  /** Async set-up before the first value written to `topic` (a registry serde resolves its schema id). */
  prepareWrite?(topic: string): Promise<void>;
  /** Async set-up before a fetched batch of `topic` is printed (a registry serde loads schema ids it has not seen). */
  prepareRead?(topic: string, records: Iterable<Buffer | null>): Promise<void>;
}

/** The serde names `--key-serde` and `--value-serde` take. */
export const SERDE_NAMES = ['string', 'long', 'integer', 'double', 'json', 'bytes', 'base64', 'avro',
  ...REGISTRY_SERDE_NAMES, 'windowed-<serde>', 'session-windowed-<serde>'] as const;

export const serdeHelp = `  --key-serde S, --value-serde S
                          how keys / values are read and written (default string): string, long,
                          integer, double (Kafka's big-endian layouts), json, bytes (hex), base64,
                          avro (with --key-schema / --value-schema FILE.avsc), avro-registry and
                          json-schema-registry (Confluent's wire format, schema ids from the
                          registry at --schema-registry-url; to produce, --key-schema /
                          --value-schema name the .avsc or JSON Schema file), windowed-<serde>
                          (time-windowed keys, printed [key@start/end]; needs --window-size-ms) or
                          session-windowed-<serde>
  --key-schema F, --value-schema F   the schema file of an avro or *-registry serde
  --schema-registry-url URL   Schema Registry REST API of the *-registry serdes
                          (http://user:password@host:8081 sends basic auth)
  --window-size-ms N      the window size of windowed-<serde> keys (end = start + size)`;

/** The serde flags every record command takes. */
export const serdeOptions = {
  'key-serde': { type: 'string' }, 'value-serde': { type: 'string' },
  'key-schema': { type: 'string' }, 'value-schema': { type: 'string' }, 'window-size-ms': { type: 'string' },
  'schema-registry-url': { type: 'string' },
} as const;

const badInput = (serde: string, text: string, expected: string) =>
  new StreamsError('INVALID_ARGUMENT', `'${text.slice(0, 80)}' is not a ${serde} value: ${expected}`);
const badBytes = (serde: string, bytes: Buffer, expected: string) =>
  new StreamsError('DESERIALIZATION_ERROR', `${bytes.length} byte(s) ${bytes.subarray(0, 16).toString('hex')}${bytes.length > 16 ? '…' : ''} are not a ${serde} value: ${expected}; pick another serde (bytes shows them as hex)`);

function fixedWidth(name: string, width: number, write: (out: Buffer, text: string) => void, read: (bytes: Buffer) => string, toJson: (bytes: Buffer) => unknown): TextSerde {
  const serde: TextSerde = {
    name,
    parse(text) {
      const out = Buffer.alloc(width);
      write(out, text.trim());
      return out;
    },
    format(bytes) {
      if (bytes.length !== width) throw badBytes(name, bytes, `it takes exactly ${width} bytes`);
      return read(bytes);
    },
    fromJson: (value) => serde.parse(typeof value === 'number' || typeof value === 'string' ? String(value) : JSON.stringify(value)),
    toJson(bytes) {
      serde.format(bytes);
      return toJson(bytes);
    },
  };
  return serde;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const long = fixedWidth('long', 8, (out, text) => {
  if (!/^-?\d+$/.test(text) || BigInt(text) < LONG_MIN || BigInt(text) > LONG_MAX) throw badInput('long', text, 'a whole number in the 64-bit range');
  out.writeBigInt64BE(BigInt(text));
}, (bytes) => bytes.readBigInt64BE(0).toString(), (bytes) => {
  const value = bytes.readBigInt64BE(0);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
});

const integer = fixedWidth('integer', 4, (out, text) => {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < -(2 ** 31) || value > 2 ** 31 - 1) throw badInput('integer', text, 'a whole number in the 32-bit range');
  out.writeInt32BE(value);
}, (bytes) => String(bytes.readInt32BE(0)), (bytes) => bytes.readInt32BE(0));

const double = fixedWidth('double', 8, (out, text) => {
  const value = Number(text);
  if (text === '' || (Number.isNaN(value) && text !== 'NaN')) throw badInput('double', text, 'a number');
  out.writeDoubleBE(value);
}, (bytes) => String(bytes.readDoubleBE(0)), (bytes) => {
  const value = bytes.readDoubleBE(0);
  return Number.isFinite(value) ? value : String(value);
});

const string: TextSerde = {
  name: 'string',
  parse: (text) => Buffer.from(text, 'utf8'),
  format: (bytes) => bytes.toString('utf8'),
  // A JSON line's non-string value is written as its JSON text.
  fromJson: (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8'),
  toJson: (bytes) => bytes.toString('utf8'),
};

const json: TextSerde = {
  name: 'json',
  parse(text) {
    try {
      JSON.parse(text);
    } catch {
      throw badInput('json', text, 'valid JSON');
    }
    return Buffer.from(text, 'utf8');
  },
  format(bytes) {
    return JSON.stringify(json.toJson(bytes));
  },
  fromJson: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
  toJson(bytes) {
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      throw badBytes('json', bytes, 'they are not UTF-8 JSON');
    }
  },
};

function encoded(name: string, encoding: 'hex' | 'base64', pattern: RegExp): TextSerde {
  const serde: TextSerde = {
    name,
    parse(text) {
      if (!pattern.test(text)) throw badInput(name, text, encoding === 'hex' ? 'pairs of hex digits' : 'base64 text');
      return Buffer.from(text, encoding);
    },
    format: (bytes) => bytes.toString(encoding),
    fromJson: (value) => serde.parse(String(value)),
    toJson: (bytes) => bytes.toString(encoding),
  };
  return serde;
}

function avro(file: string | undefined, flag: string): TextSerde {
  if (file === undefined) throw new StreamsError('INVALID_ARGUMENT', `an avro serde needs its schema: add ${flag} FILE.avsc`);
  let serde: Serde<unknown>;
  try {
    serde = Serdes.Avro(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new StreamsError('INVALID_ARGUMENT', `${flag} ${file} is not a readable Avro schema: ${(cause as Error).message}`, { cause });
  }
  const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null');
  const text: TextSerde = {
    name: 'avro',
    parse(line) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw badInput('avro', line, 'a JSON value matching the schema');
      }
      return text.fromJson(value);
    },
    format: (bytes) => JSON.stringify(text.toJson(bytes)),
    fromJson(value) {
      try {
        return serde.serialize('', value)!;
      } catch (cause) {
        throw new StreamsError('INVALID_ARGUMENT', `${JSON.stringify(value)?.slice(0, 80)} does not match the Avro schema of ${flag} ${file}: ${(cause as Error).message}`, { cause });
      }
    },
    toJson(bytes) {
      try {
        return plain(serde.deserialize('', bytes));
      } catch (cause) {
        throw new StreamsError('DESERIALIZATION_ERROR', `${bytes.length} byte(s) are not Avro of the schema ${file}: ${(cause as Error).message}`, { cause });
      }
    },
  };
  return text;
}

const WINDOWED_TEXT = /^\[(.*)@(-?\d+)\/(-?\d+)\]$/s;

/** Windowed keys in Kafka's layouts: the inner key, then (time) the start, or (session) the end and the start, as 8-byte longs. */
function windowedKey(inner: TextSerde, session: boolean, windowSizeMs: number | undefined): TextSerde {
  const name = `${session ? 'session-' : ''}windowed-${inner.name}`;
  const suffix = session ? 16 : 8;
  const encode = (key: Buffer, start: bigint, end: bigint): Buffer => {
    const out = Buffer.alloc(key.length + suffix);
    key.copy(out, 0);
    if (session) {
      out.writeBigInt64BE(end, key.length);
      out.writeBigInt64BE(start, key.length + 8);
    } else {
      out.writeBigInt64BE(start, key.length);
    }
    return out;
  };
  const decode = (bytes: Buffer): { key: Buffer; start: bigint; end: bigint } => {
    if (bytes.length < suffix) throw badBytes(name, bytes, `a ${session ? 'session' : 'time'}-windowed key has at least ${suffix} bytes`);
    const key = bytes.subarray(0, bytes.length - suffix);
    if (session) return { key, end: bytes.readBigInt64BE(key.length), start: bytes.readBigInt64BE(key.length + 8) };
    const start = bytes.readBigInt64BE(key.length);
    return { key, start, end: start + BigInt(windowSizeMs!) };
  };
  const checked = (start: bigint, end: bigint, shown: string): void => {
    if (end < start) throw badInput(name, shown, 'the window cannot end before it starts');
    if (!session && end - start !== BigInt(windowSizeMs!)) throw badInput(name, shown, `the window must be --window-size-ms ${windowSizeMs} long`);
  };
  const parse = (text: string): Buffer => {
    const match = WINDOWED_TEXT.exec(text.trim());
    if (match === null) throw badInput(name, text, '[key@start/end], e.g. [alice@1700000000000/1700000060000]');
    const [start, end] = [BigInt(match[2]!), BigInt(match[3]!)];
    checked(start, end, text);
    return encode(inner.parse(match[1]!), start, end);
  };
  return {
    name,
    parse,
    format(bytes) {
      const { key, start, end } = decode(bytes);
      return `[${inner.format(key)}@${start}/${end}]`;
    },
    fromJson(value) {
      if (typeof value === 'string') return parse(value);
      const window = value as { key?: unknown; start?: unknown; end?: unknown } | null;
      if (window === null || typeof window !== 'object' || !('key' in window) || !Number.isSafeInteger(window.start) || !Number.isSafeInteger(window.end)) {
        throw badInput(name, JSON.stringify(value) ?? '', '{"key": …, "start": ms, "end": ms} or "[key@start/end]"');
      }
      const [start, end] = [BigInt(window.start as number), BigInt(window.end as number)];
      checked(start, end, JSON.stringify(value));
      return encode(inner.fromJson(window.key), start, end);
    },
    toJson(bytes) {
      const { key, start, end } = decode(bytes);
      return { key: inner.toJson(key), start: Number(start), end: Number(end) };
    },
  };
}

/**
 * The serde a `--key-serde`/`--value-serde` flag names.
 *
 * @example
 * textSerde('windowed-string', '--key-serde', { windowSizeMs: 60_000 }).format(bytes) // '[alice@1700000000000/1700000060000]'
 */
export function textSerde(spec: string, flag: string, options: { schemaFile?: string; schemaFlag?: string; windowSizeMs?: number; registryUrl?: string } = {}): TextSerde {
  const windowed = /^(session-)?windowed-(.+)$/.exec(spec);
  if (windowed !== null) {
    const session = windowed[1] !== undefined;
    if (!session && options.windowSizeMs === undefined) {
      throw new StreamsError('INVALID_ARGUMENT', `${flag} ${spec} needs --window-size-ms N: a time-windowed key stores only its start`);
    }
    if (/windowed/.test(windowed[2]!)) throw new StreamsError('INVALID_ARGUMENT', `${flag} ${spec}: windowed keys do not nest`);
    if (/-registry$/.test(windowed[2]!)) throw new StreamsError('INVALID_ARGUMENT', `${flag} ${spec}: windowed keys take a plain inner serde, not a registry serde`);
    return windowedKey(textSerde(windowed[2]!, flag, options), session, options.windowSizeMs);
  }
  switch (spec) {
    case 'string': return string;
    case 'long': return long;
    case 'integer': return integer;
    case 'double': return double;
    case 'json': return json;
    case 'bytes':
    case 'hex': return encoded('bytes', 'hex', /^(?:[0-9a-fA-F]{2})*$/);
    case 'base64': return encoded('base64', 'base64', /^[A-Za-z0-9+/]*={0,2}$/);
    case 'avro': return avro(options.schemaFile, options.schemaFlag ?? '--value-schema');
    case 'avro-registry':
    case 'json-schema-registry': {
      const schemaFlag = options.schemaFlag ?? '--value-schema';
      return registryTextSerde(spec, flag, { url: options.registryUrl, schemaFile: options.schemaFile, schemaFlag, isKey: flag === '--key-serde' });
    }
    default:
      throw new StreamsError('INVALID_ARGUMENT', `${flag} must be one of ${SERDE_NAMES.join(', ')}; got '${spec}'`);
  }
}

/** The key and value serdes of a command's flags (see `serdeOptions`). */
export function serdesOf(command: string, values: { [flag: string]: string | boolean | string[] | boolean[] | undefined }): { key: TextSerde; value: TextSerde } {
  const rawSize = values['window-size-ms'];
  let windowSizeMs: number | undefined;
  if (rawSize !== undefined) {
    windowSizeMs = Number(rawSize);
    if (typeof rawSize !== 'string' || !Number.isSafeInteger(windowSizeMs) || windowSizeMs <= 0) {
      throw new StreamsError('INVALID_ARGUMENT', `--window-size-ms must be a whole number > 0, got '${String(rawSize)}'; run \`kstreams ${command} --help\``);
    }
  }
  const of = (side: 'key' | 'value') => textSerde((values[`${side}-serde`] as string | undefined) ?? 'string', `--${side}-serde`, {
    ...(values[`${side}-schema`] === undefined ? {} : { schemaFile: values[`${side}-schema`] as string }),
    schemaFlag: `--${side}-schema`,
    ...(values['schema-registry-url'] === undefined ? {} : { registryUrl: values['schema-registry-url'] as string }),
    ...(windowSizeMs === undefined ? {} : { windowSizeMs }),
  });
  return { key: of('key'), value: of('value') };
}
