import type { SchemaType } from './registry-client.ts';

/**
 * What a registry serde needs to know about one schema language: how to parse a schema's text,
 * the name RecordNameStrategy files it under, and how to write and read a payload. Encoders and
 * decoders throw with a plain reason; the serde wraps it in a coded error naming topic and subject.
 */
export interface SchemaFormat<S> {
  readonly schemaType: SchemaType;
  /** For error texts: `Avro`, `JSON Schema`. */
  readonly label: string;
  parse(text: string): S;
  /** The schema's canonical text, as sent to the registry. */
  textOf(schema: S): string;
  recordName(schema: S): string | undefined;
  encode(schema: S, value: unknown): Buffer;
  /** Reads a payload written with `writer`; `reader`, when given, is the schema the application expects. */
  decode(writer: S, reader: S | undefined, payload: Buffer): unknown;
}
