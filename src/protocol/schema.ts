/**
 * Kafka's message schemas as data (the same model as Kafka's `common/message/*.json`): a message
 * is a list of fields, each present in a range of versions, possibly nullable, possibly a tagged
 * field of the flexible versions. The codec (codec.ts) reads and writes any message from its
 * schema, so each API is a schema file, not hand-written byte code.
 */
export type PrimitiveType = 'int8' | 'int16' | 'int32' | 'int64' | 'uint16' | 'uint32' | 'float64' | 'bool' | 'string' | 'bytes' | 'records' | 'uuid';

export interface FieldSchema {
  /** camelCase of Kafka's field name; the decoded message's property. */
  readonly name: string;
  readonly type: PrimitiveType | 'array' | 'struct';
  /** For arrays of primitives. */
  readonly items?: PrimitiveType;
  /** For structs and arrays of structs. */
  readonly fields?: readonly FieldSchema[];
  /** Versions the field exists in: `'0+'`, `'3-5'`, `'none'`. */
  readonly versions: string;
  readonly nullable?: string;
  /** Tagged field number, in `taggedVersions`. */
  readonly tag?: number;
  readonly taggedVersions?: string;
  /** Value when the field is absent from a version (decoding) or from the message (encoding). */
  readonly default?: unknown;
}

/** One API: its key, the versions we serve, where flexible encoding starts, and both messages. */
export interface ApiSchema {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible version, or null when none is. */
  readonly flexibleFrom: number | null;
  readonly request: readonly FieldSchema[];
  readonly response: readonly FieldSchema[];
}

/** A decoded message: camelCase fields; nested structs are messages too, arrays are arrays. */
export type Message = { [field: string]: unknown };

/** True when `version` lies in a Kafka version range (`'0+'`, `'3-5'`, `'7'`, `'none'`). */
export function inVersions(range: string | undefined, version: number): boolean {
  if (range === undefined || range === 'none') return false;
  if (range.endsWith('+')) return version >= Number(range.slice(0, -1));
  const [low, high] = range.split('-');
  return high === undefined ? version === Number(low) : version >= Number(low) && version <= Number(high);
}
