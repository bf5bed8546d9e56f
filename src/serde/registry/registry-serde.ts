import { StreamsError } from '../../common/index.ts';
import type { PreparedSerde } from '../serde.ts';
import { deserializationError, reasonOf, serializationError } from '../serde-errors.ts';
import { resolveRegistryConfig, subjectName, type ResolvedRegistryConfig, type SchemaRegistryConfig } from './registry-config.ts';
import { SchemaRegistryClient } from './registry-client.ts';
import type { SchemaFormat } from './schema-format.ts';
import { frame, payloadOf, schemaIdOf } from './wire-format.ts';

/**
 * A serde in Confluent's wire format whose schema ids come from a Schema Registry.
 *
 * Serdes are synchronous (records are encoded inside a task's per-record loop), and the registry
 * is reached over HTTP, so the registry calls happen in three async steps outside that loop, and
 * `serialize`/`deserialize` only read what those steps cached:
 * - `prepareWrite(topic)` resolves the id to write `topic` with (register, look up, or latest
 *   version, by the config) — once per topic, before producing; the runtime calls it for sinks
 *   with a fixed topic when a task starts;
 * - `prepareRead(records)` fetches the schemas of ids not seen yet in a batch of record bytes — it
 *   costs a 4-byte read per record when every id is known, and one request per new id otherwise;
 *   the runtime calls it once per fetched batch;
 * - `prefetch(topic)` loads every version registered under the topic's subject, for readers
 *   outside the runtime.
 * A `serialize` for a topic not prepared, or a `deserialize` of an unknown id, throws a coded error
 * naming the step that was skipped. See docs/schema-registry.md.
 */
export interface RegistrySerde<T> extends PreparedSerde<T> {
  /** Resolves the schema id this serde writes to `topic` with. */
  prepareWrite(topic: string): Promise<void>;
  /** Loads every schema version registered under the subject of `topic`. */
  prefetch(topic: string): Promise<void>;
  /**
   * Loads the schemas of ids these framed records carry that this serde has not seen. It does not
   * reject: an id the registry cannot give is remembered with its failure, and `deserialize` of a
   * record with that id throws a DESERIALIZATION_ERROR carrying it, so the bad-record policy
   * (fail, skip, dead-letter) decides, as for any unreadable record. The next call asks again.
   */
  prepareRead(records: Iterable<Buffer | null>): Promise<void>;
}

/** The options of a registry serde besides the registry settings. */
export interface RegistrySerdeOptions {
  /** True for a key serde: subjects end in `-key`, and `key.subject.name.strategy` applies. */
  isKey?: boolean;
}

/** Builds a registry serde for one schema language; `ownSchema` is the schema the application writes and reads with, if any. */
export function registrySerde<T, S>(format: SchemaFormat<S>, config: SchemaRegistryConfig, ownSchema: S | undefined, options: RegistrySerdeOptions = {}): RegistrySerde<T> {
  const isKey = options.isKey ?? false;
  const settings: ResolvedRegistryConfig = resolveRegistryConfig(config, isKey);
  const client = new SchemaRegistryClient(settings);
  const name = `Serdes.${format.schemaType === 'AVRO' ? 'Avro' : 'JsonSchema'}Registry(${isKey ? 'key' : 'value'})`;
  const writers = new Map<string, { id: number; schema: S }>();
  const readers = new Map<number, S>();
  const unreadable = new Map<number, StreamsError>();

  const subjectOf = (topic: string) => subjectName(settings.strategy, topic, isKey, ownSchema === undefined ? undefined : format.recordName(ownSchema));
  const remember = (id: number, text: string): S => {
    let schema = readers.get(id);
    if (schema === undefined) {
      try {
        schema = format.parse(text);
      } catch (cause) {
        throw new StreamsError('SCHEMA_REGISTRY_ERROR', `${name}: schema id ${id} from the registry is not a valid ${format.label} schema (${reasonOf(cause)})`, { cause });
      }
      readers.set(id, schema);
    }
    return schema;
  };

  return {
    async prepareWrite(topic) {
      if (writers.has(topic)) return;
      const subject = subjectOf(topic);
      if (settings.useLatestVersion) {
        const latest = await client.latest(subject);
        writers.set(topic, { id: latest.id, schema: remember(latest.id, latest.schema) });
        return;
      }
      if (ownSchema === undefined) {
        throw new StreamsError('INVALID_CONFIG', `${name} writes to "${topic}" but has no schema: pass one, or set use.latest.version: true with auto.register.schemas: false`);
      }
      const text = format.textOf(ownSchema);
      const id = settings.autoRegister ? await client.register(subject, text, format.schemaType) : await client.lookup(subject, text, format.schemaType);
      if (!readers.has(id)) readers.set(id, ownSchema);
      writers.set(topic, { id, schema: ownSchema });
    },
    async prefetch(topic) {
      for (const version of await client.allVersions(subjectOf(topic))) remember(version.id, version.schema);
    },
    async prepareRead(records) {
      const unknown = new Set<number>();
      for (const bytes of records) {
        if (bytes === null) continue;
        const id = schemaIdOf(bytes);
        if (typeof id === 'number' && !readers.has(id)) unknown.add(id);
      }
      await Promise.all([...unknown].map(async (id) => {
        try {
          const found = await client.schemaById(id);
          if (found.schemaType !== format.schemaType) {
            throw new StreamsError('SCHEMA_REGISTRY_ERROR', `schema id ${id} has type ${found.schemaType}, this serde reads ${format.schemaType}`);
          }
          remember(id, found.schema);
          unreadable.delete(id);
        } catch (error) {
          unreadable.set(id, error instanceof StreamsError ? error : new StreamsError('SCHEMA_REGISTRY_ERROR', reasonOf(error), { cause: error }));
        }
      }));
    },
    serialize(topic, data) {
      if (data === null) return null;
      const writer = writers.get(topic);
      if (writer === undefined) {
        throw serializationError(name, topic, `no schema id is resolved for subject '${subjectOf(topic)}' yet: await serde.prepareWrite('${topic}') before producing`);
      }
      let payload: Buffer;
      try {
        payload = format.encode(writer.schema, data);
      } catch (cause) {
        throw serializationError(name, topic, `${reasonOf(cause)} (schema id ${writer.id})`, cause);
      }
      return frame(writer.id, payload);
    },
    deserialize(topic, data) {
      if (data === null) return null;
      const id = schemaIdOf(data);
      if (typeof id === 'string') throw deserializationError(name, topic, id);
      const writer = readers.get(id);
      if (writer === undefined) {
        const failure = unreadable.get(id);
        if (failure !== undefined) throw deserializationError(name, topic, `the registry could not give schema id ${id}: ${failure.message}`, failure);
        throw deserializationError(name, topic, `schema id ${id} is not loaded: await serde.prepareRead(records) or serde.prefetch('${topic}') before reading`);
      }
      try {
        return format.decode(writer, ownSchema, payloadOf(data)) as T;
      } catch (cause) {
        throw deserializationError(name, topic, `not valid ${format.label} for schema id ${id} (${reasonOf(cause)})`, cause);
      }
    },
  };
}
