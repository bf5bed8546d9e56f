import type { Serde } from './serde.ts';
import { bytesSerde, doubleSerde, integerSerde, longSerde, stringSerde, voidSerde } from './primitive-serdes.ts';
import { jsonSerde, type JsonSerdeOptions } from './json-serde.ts';
import { avroSerde, type AvroSchema, type AvroSerdeOptions } from './avro-serde.ts';
import { avroRegistrySerde, jsonSchemaRegistrySerde, type AvroRegistrySerdeOptions, type JsonSchemaRegistrySerdeOptions, type RegistrySerde, type SchemaRegistryConfig } from './registry/index.ts';

/**
 * The built-in serdes, named as Kafka's `Serdes`. Numbers use Kafka's big-endian layouts, so a
 * Java client reads what kstreams writes.
 *
 * @example
 * builder.stream('orders', Consumed.with(Serdes.String(), Serdes.Json<Order>()));
 */
export const Serdes = {
  /** UTF-8 text. */
  String: (): Serde<string> => stringSerde,
  /** 8-byte big-endian signed integers, as JS numbers within ±(2^53 - 1). */
  Long: (): Serde<number> => longSerde,
  /** 4-byte big-endian signed integers. */
  Integer: (): Serde<number> => integerSerde,
  /** 8-byte big-endian IEEE 754 doubles. */
  Double: (): Serde<number> => doubleSerde,
  /** Bytes passed through unchanged. */
  Bytes: (): Serde<Buffer> => bytesSerde,
  /** Bytes passed through unchanged (Kafka's byte[] serde; the same as `Bytes` here). */
  ByteArray: (): Serde<Buffer> => bytesSerde,
  /** Always null: for keys or values that carry nothing. */
  Void: (): Serde<null> => voidSerde,
  /** UTF-8 JSON, with an optional validation hook on the way in. */
  Json: <T>(options?: JsonSerdeOptions<T>): Serde<T> => jsonSerde<T>(options),
  /** Avro binary (avsc), raw or in Confluent's Schema Registry framing. */
  Avro: <T>(schema: AvroSchema, options?: AvroSerdeOptions): Serde<T> => avroSerde<T>(schema, options),
  /** Avro in Confluent's wire format with ids from a Schema Registry (see `RegistrySerde` for the async steps). */
  AvroRegistry: <T>(config: SchemaRegistryConfig, options?: AvroRegistrySerdeOptions): RegistrySerde<T> => avroRegistrySerde<T>(config, options),
  /** JSON validated against a JSON Schema, in Confluent's wire format with ids from a Schema Registry. */
  JsonSchemaRegistry: <T>(config: SchemaRegistryConfig, options?: JsonSchemaRegistrySerdeOptions): RegistrySerde<T> => jsonSchemaRegistrySerde<T>(config, options),
} as const;
