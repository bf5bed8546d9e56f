import { readFileSync } from 'node:fs';
import { StreamsError } from '../common/index.ts';
import { Serdes, type RegistrySerde, type SchemaRegistryConfig } from '../serde/index.ts';
import type { TextSerde } from './text-serdes.ts';

/** The registry serde names `--key-serde`/`--value-serde` take. */
export const REGISTRY_SERDE_NAMES = ['avro-registry', 'json-schema-registry'] as const;

/** Where a registry text serde finds its registry and schema. */
export interface RegistryTextOptions {
  /** `--schema-registry-url`; `user:password@` in it becomes HTTP basic auth. */
  url: string | undefined;
  /** `--key-schema` / `--value-schema`: the .avsc or JSON Schema file (needed to produce). */
  schemaFile: string | undefined;
  schemaFlag: string;
  isKey: boolean;
}

/**
 * A command-line serde over a Schema Registry serde. Text and JSON lines are the values as JSON;
 * the command awaits `prepareWrite(topic)` before the first line it produces and
 * `prepareRead(bytes)` before each fetched batch it prints, so the registry is asked once per new
 * subject or schema id, never once per record.
 */
export function registryTextSerde(spec: (typeof REGISTRY_SERDE_NAMES)[number], flag: string, options: RegistryTextOptions): TextSerde {
  if (options.url === undefined) throw new StreamsError('INVALID_ARGUMENT', `${flag} ${spec} needs --schema-registry-url URL (e.g. http://localhost:8081)`);
  const config: SchemaRegistryConfig = { 'schema.registry.url': options.url };
  if (/^[a-z]+:\/\/[^/@]+@/i.test(options.url)) config['basic.auth.credentials.source'] = 'URL';
  let schemaText: string | undefined;
  if (options.schemaFile !== undefined) {
    try {
      schemaText = readFileSync(options.schemaFile, 'utf8');
    } catch (cause) {
      throw new StreamsError('INVALID_ARGUMENT', `${options.schemaFlag} ${options.schemaFile} cannot be read: ${(cause as Error).message}`, { cause });
    }
  }
  let serde: RegistrySerde<unknown>;
  try {
    serde = spec === 'avro-registry'
      ? Serdes.AvroRegistry(config, { isKey: options.isKey, ...(schemaText === undefined ? {} : { schema: schemaText }) })
      : Serdes.JsonSchemaRegistry(config, { isKey: options.isKey, ...(schemaText === undefined ? {} : { schema: schemaText }) });
  } catch (cause) {
    throw new StreamsError('INVALID_ARGUMENT', `${flag} ${spec}: ${(cause as Error).message}`, { cause });
  }
  // The topic the command writes or reads; set by prepareWrite, or taken per record on read.
  let topic = '';
  const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v)) ?? 'null');
  const text: TextSerde = {
    name: spec,
    parse(line) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new StreamsError('INVALID_ARGUMENT', `'${line.slice(0, 80)}' is not a ${spec} value: a JSON value matching the schema`);
      }
      return text.fromJson(value);
    },
    format: (bytes) => JSON.stringify(text.toJson(bytes)),
    fromJson(value) {
      if (schemaText === undefined) throw new StreamsError('INVALID_ARGUMENT', `${flag} ${spec} needs ${options.schemaFlag} FILE to produce: the schema to register or look up`);
      try {
        return serde.serialize(topic, value)!;
      } catch (cause) {
        throw new StreamsError('INVALID_ARGUMENT', `${JSON.stringify(value)?.slice(0, 80)} cannot be written with ${options.schemaFlag} ${options.schemaFile}: ${(cause as Error).message}`, { cause });
      }
    },
    toJson: (bytes) => plain(serde.deserialize(topic, bytes)),
    async prepareWrite(to) {
      topic = to;
      if (schemaText === undefined) throw new StreamsError('INVALID_ARGUMENT', `${flag} ${spec} needs ${options.schemaFlag} FILE to produce: the schema to register or look up`);
      await serde.prepareWrite(to);
    },
    async prepareRead(from, records) {
      topic = from;
      await serde.prepareRead(records);
    },
  };
  return text;
}
