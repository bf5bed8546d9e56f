/**
 * Schema Registry serdes: Avro (avsc) and JSON Schema (ajv) in Confluent's wire format — magic byte
 * 0x00, a 4-byte big-endian schema id, then the payload — with ids registered and looked up over
 * Confluent's Schema Registry REST API (Confluent, Apicurio's ccompat API, Redpanda, Karapace).
 *
 * Settings use Confluent's names (`schema.registry.url`, `basic.auth.credentials.source` +
 * `basic.auth.user.info`, `auto.register.schemas`, `use.latest.version`,
 * `key.subject.name.strategy` / `value.subject.name.strategy` with TopicNameStrategy or
 * RecordNameStrategy). Registry calls are async and kept out of the per-record path: a serde
 * resolves its write id with `prepareWrite(topic)` (the runtime calls it when a task starts), and
 * learns the schemas it reads with `prepareRead(records)` (the runtime calls it once per fetched
 * batch) or `prefetch(topic)`; `serialize` and `deserialize` stay synchronous and read those
 * caches.
 *
 * @example
 * const config = { 'schema.registry.url': 'http://localhost:8081' };
 * const value = Serdes.AvroRegistry<Order>(config, { schema: orderSchema });
 * await value.prepareWrite('orders');      // registers subject orders-value, caches the id
 * const bytes = value.serialize('orders', { id: 'o-1', cents: 500 }); // 00 <id:4> <avro>
 * await value.prepareRead([bytes]);        // no request: the id is known
 * value.deserialize('orders', bytes);      // { id: 'o-1', cents: 500 }
 */
export type { SchemaRegistryConfig, SubjectNameStrategy } from './registry-config.ts';
export type { RegistrySerde, RegistrySerdeOptions } from './registry-serde.ts';
export { avroRegistrySerde, jsonSchemaRegistrySerde, type AvroRegistrySerdeOptions, type JsonSchemaRegistrySerdeOptions } from './registry-serdes.ts';
