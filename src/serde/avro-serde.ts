import avro from 'avsc';
import type { Serde } from './serde.ts';
import { deserializationError, reasonOf, serializationError } from './serde-errors.ts';

/** Options of `Serdes.Avro`. */
export interface AvroSerdeOptions {
  /**
   * Use Confluent's wire framing — magic byte 0x00, the 4-byte big-endian schema id, then the Avro
   * body — so records interoperate with Schema Registry clients. Without it, bytes are raw Avro.
   */
  confluent?: { schemaId: number };
}

/** The schema argument of `Serdes.Avro`: a parsed schema object or its JSON text. */
export type AvroSchema = avro.Schema | string;

const CONFLUENT_MAGIC = 0;
const CONFLUENT_HEADER_BYTES = 5;

/**
 * Avro binary through avsc. Values are checked against the schema on serialize, so a producer
 * cannot write a record its consumers cannot read. Avro `long` fields are JS numbers: avsc encodes
 * them exactly within ±2^52; keep larger magnitudes in a `string` or `bytes` field.
 *
 * @example
 * const serde = Serdes.Avro<{ user: string; amount: number }>({
 *   type: 'record', name: 'Order', fields: [{ name: 'user', type: 'string' }, { name: 'amount', type: 'double' }],
 * }, { confluent: { schemaId: 7 } });
 */
export function avroSerde<T>(schema: AvroSchema, options: AvroSerdeOptions = {}): Serde<T> {
  const type = avro.Type.forSchema(typeof schema === 'string' ? (JSON.parse(schema) as avro.Schema) : schema);
  const schemaId = options.confluent?.schemaId;
  if (schemaId !== undefined && (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff)) {
    throw serializationError('Serdes.Avro()', '(configuration)', `the Confluent schema id must be an integer in 0..2147483647, got ${schemaId}`);
  }
  const name = `Serdes.Avro(${type.name ?? type.typeName})`;
  return {
    serialize(topic, data) {
      if (data === null) return null;
      const problems: string[] = [];
      if (!type.isValid(data, { errorHook: (path) => problems.push(path.join('.') || '(root)') })) {
        throw serializationError(name, topic, `the value does not match the schema at ${problems.join(', ')}`);
      }
      let body: Buffer;
      try {
        body = type.toBuffer(data);
      } catch (cause) {
        throw serializationError(name, topic, reasonOf(cause), cause);
      }
      if (schemaId === undefined) return body;
      const framed = Buffer.allocUnsafe(CONFLUENT_HEADER_BYTES + body.length);
      framed.writeUInt8(CONFLUENT_MAGIC, 0);
      framed.writeInt32BE(schemaId, 1);
      body.copy(framed, CONFLUENT_HEADER_BYTES);
      return framed;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      let body = data;
      if (schemaId !== undefined) {
        if (data.length < CONFLUENT_HEADER_BYTES || data[0] !== CONFLUENT_MAGIC) {
          throw deserializationError(name, topic, `missing the Confluent framing (magic byte 0x00 and a schema id); got first byte ${data.length === 0 ? 'none' : `0x${data[0]!.toString(16).padStart(2, '0')}`}`);
        }
        const found = data.readInt32BE(1);
        if (found !== schemaId) {
          throw deserializationError(name, topic, `the record was written with schema id ${found}, this serde reads schema id ${schemaId}`);
        }
        body = data.subarray(CONFLUENT_HEADER_BYTES);
      }
      try {
        return type.fromBuffer(body) as T;
      } catch (cause) {
        throw deserializationError(name, topic, `not valid Avro for the schema (${reasonOf(cause)})`, cause);
      }
    },
  };
}
