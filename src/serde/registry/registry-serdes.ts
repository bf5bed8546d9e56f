import type avro from 'avsc';
import { StreamsError } from '../../common/index.ts';
import type { AvroSchema } from '../avro-serde.ts';
import { reasonOf } from '../serde-errors.ts';
import { avroFormat } from './avro-format.ts';
import { jsonSchemaFormat, type JsonSchema } from './json-schema-format.ts';
import type { SchemaRegistryConfig } from './registry-config.ts';
import { registrySerde, type RegistrySerde, type RegistrySerdeOptions } from './registry-serde.ts';
import type { SchemaFormat } from './schema-format.ts';

/** Options of `Serdes.AvroRegistry`. */
export interface AvroRegistrySerdeOptions extends RegistrySerdeOptions {
  /** The schema the application writes with and reads into; optional for a reader that takes records as written. */
  schema?: AvroSchema;
}

/** Options of `Serdes.JsonSchemaRegistry`. */
export interface JsonSchemaRegistrySerdeOptions extends RegistrySerdeOptions {
  /** The JSON Schema (object or text) values are validated against and registered with. */
  schema?: Record<string, unknown> | string;
}

function ownSchema<S>(format: SchemaFormat<S>, schema: unknown): S | undefined {
  if (schema === undefined) return undefined;
  try {
    return format.parse(typeof schema === 'string' ? schema : JSON.stringify(schema));
  } catch (cause) {
    throw new StreamsError('INVALID_CONFIG', `the ${format.label} schema of a registry serde is not valid: ${reasonOf(cause)}`, { cause });
  }
}

/**
 * Avro in Confluent's wire format, with schema ids from a Schema Registry. Records written with
 * another registered version of the schema are read through Avro schema resolution into `schema`.
 *
 * @example
 * const orders = Serdes.AvroRegistry<Order>({ 'schema.registry.url': 'http://localhost:8081' }, { schema: orderSchema });
 * await orders.prepareWrite('orders'); // registers orders-value once; serialize is then synchronous
 */
export function avroRegistrySerde<T>(config: SchemaRegistryConfig, options: AvroRegistrySerdeOptions = {}): RegistrySerde<T> {
  const format = avroFormat();
  return registrySerde<T, avro.Type>(format, config, ownSchema(format, options.schema), options);
}

/**
 * JSON in Confluent's wire format (UTF-8 JSON after the 5-byte header), validated with ajv against
 * the JSON Schema registered for it.
 *
 * @example
 * const events = Serdes.JsonSchemaRegistry<Click>(config, { schema: { title: 'Click', type: 'object', required: ['url'] } });
 */
export function jsonSchemaRegistrySerde<T>(config: SchemaRegistryConfig, options: JsonSchemaRegistrySerdeOptions = {}): RegistrySerde<T> {
  const format = jsonSchemaFormat();
  return registrySerde<T, JsonSchema>(format, config, ownSchema(format, options.schema), options);
}
