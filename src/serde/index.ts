export type { PreparedSerde, Serde, SerdeType } from './serde.ts';
export { Serdes } from './serdes.ts';
export type { JsonSerdeOptions } from './json-serde.ts';
export type { AvroSchema, AvroSerdeOptions } from './avro-serde.ts';
export type { AvroRegistrySerdeOptions, JsonSchemaRegistrySerdeOptions, RegistrySerde, RegistrySerdeOptions, SchemaRegistryConfig, SubjectNameStrategy } from './registry/index.ts';
export { WindowedSerdes } from './windowed-serdes.ts';
export { windowed } from './windowed.ts';
export type { Window, Windowed } from './windowed.ts';
