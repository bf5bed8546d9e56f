/**
 * A Serde turns typed keys and values into bytes and back, given the topic they belong to (as
 * Kafka's Serializer/Deserializer do). `null` always maps to `null` bytes: a tombstone or an absent
 * key stays absent, so a serde never sees null and never has to invent bytes for it.
 *
 * @example
 * const bytes = Serdes.String().serialize('words', 'hello'); // Buffer <68 65 6c 6c 6f>
 */
export interface Serde<T> {
  serialize(topic: string, data: T | null): Buffer | null;
  deserialize(topic: string, data: Buffer | null): T | null;
}

/** Extracts the type a serde carries: `SerdeType<typeof s>`. */
export type SerdeType<S> = S extends Serde<infer T> ? T : never;

/**
 * A serde that needs async set-up outside the per-record path (a Schema Registry serde resolving
 * schema ids over HTTP). The runtime awaits `prepareWrite` once per fixed sink topic when a task
 * starts, and `prepareRead` once per fetched batch before its records are deserialized; plain
 * serdes have neither and cost nothing.
 */
export interface PreparedSerde<T> extends Serde<T> {
  prepareWrite?(topic: string): Promise<void>;
  prepareRead?(records: Iterable<Buffer | null>): Promise<void>;
}
