import { Ajv, type ValidateFunction } from 'ajv';
import type { SchemaFormat } from './schema-format.ts';

/** A parsed JSON Schema with its compiled validator. */
export interface JsonSchema {
  readonly schema: Record<string, unknown>;
  readonly validate: ValidateFunction;
}

/**
 * JSON Schema (draft-07, the registry's default) with ajv: values are validated against the schema
 * on serialize, and against the writer's schema on deserialize, as Confluent's serdes do when
 * validation is on. The payload is the value's UTF-8 JSON text.
 */
export function jsonSchemaFormat(): SchemaFormat<JsonSchema> {
  // strict: false accepts annotation keywords other tools put in schemas (javaType, $comment…).
  const ajv = new Ajv({ strict: false, allErrors: true });
  const check = (schema: JsonSchema, value: unknown): void => {
    if (schema.validate(value)) return;
    const problems = (schema.validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
    throw new Error(`the value does not match the JSON Schema: ${problems.join('; ')}`);
  };
  return {
    schemaType: 'JSON',
    label: 'JSON Schema',
    parse(text) {
      const schema = JSON.parse(text) as unknown;
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error('a JSON Schema is a JSON object');
      return { schema: schema as Record<string, unknown>, validate: ajv.compile(schema) };
    },
    textOf: (schema) => JSON.stringify(schema.schema),
    recordName: (schema) => (typeof schema.schema.title === 'string' ? schema.schema.title : undefined),
    encode(schema, value) {
      check(schema, value);
      return Buffer.from(JSON.stringify(value), 'utf8');
    },
    decode(writer, _reader, payload) {
      const value = JSON.parse(payload.toString('utf8')) as unknown;
      check(writer, value);
      return value;
    },
  };
}
