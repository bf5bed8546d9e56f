import type { FieldSchema, Message, PrimitiveType } from './schema.ts';
import { inVersions } from './schema.ts';
import { WireReader } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';

/**
 * Reads and writes any message from its schema (Kafka's generated message classes, as an
 * interpreter). Classic versions use int16 string lengths and int32 array and bytes lengths;
 * flexible versions use compact lengths (uvarint of length + 1) and end every struct with its
 * tagged fields (uvarint count, then tag, size and value of each).
 */
export function decodeMessage(reader: WireReader, fields: readonly FieldSchema[], version: number, flexible: boolean): Message {
  const message: Message = {};
  for (const field of fields) {
    // Tagged fields come after the struct's other fields; until read they hold their default.
    const tagged = field.tag !== undefined && flexible && inVersions(field.taggedVersions, version);
    message[field.name] = !tagged && inVersions(field.versions, version) ? readField(reader, field, version, flexible) : defaultOf(field);
  }
  if (flexible) readTaggedFields(reader, fields, version, message);
  return message;
}

export function encodeMessage(writer: WireWriter, fields: readonly FieldSchema[], message: Message, version: number, flexible: boolean): void {
  const tagged: FieldSchema[] = [];
  for (const field of fields) {
    if (!inVersions(field.versions, version)) continue;
    if (field.tag !== undefined && flexible && inVersions(field.taggedVersions, version)) {
      if (message[field.name] !== undefined && message[field.name] !== field.default) tagged.push(field);
      continue;
    }
    writeField(writer, field, valueToWrite(field, message[field.name], version), version, flexible);
  }
  if (flexible) {
    writer.uvarint(tagged.length);
    for (const field of tagged.sort((a, b) => a.tag! - b.tag!)) {
      const inner = new WireWriter();
      writeField(inner, field, message[field.name], version, flexible);
      const bytes = inner.finish();
      writer.uvarint(field.tag!);
      writer.uvarint(bytes.length);
      writer.raw(bytes);
    }
  }
}

/** A field's value as written: null stays null where the field is nullable at `version`; a missing value (or a null where it may not be) is the default. */
function valueToWrite(field: FieldSchema, value: unknown, version: number): unknown {
  if (value === undefined || (value === null && !inVersions(field.nullable, version))) return defaultOf(field);
  return value;
}

function defaultOf(field: FieldSchema): unknown {
  if (field.default !== undefined) {
    if (field.type === 'int64' && typeof field.default === 'string') return Number(field.default);
    return field.default;
  }
  switch (field.type) {
    case 'array': return [];
    case 'struct': return null;
    case 'string': return '';
    case 'bool': return false;
    case 'bytes': return Buffer.alloc(0);
    case 'records': return null;
    case 'uuid': return Buffer.alloc(16);
    default: return 0;
  }
}

function readTaggedFields(reader: WireReader, fields: readonly FieldSchema[], version: number, message: Message): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    const tag = reader.uvarint();
    const size = reader.uvarint();
    const field = fields.find((f) => f.tag === tag && inVersions(f.taggedVersions, version));
    const body = reader.raw(size);
    // Unknown tags are skipped, as the protocol requires.
    if (field !== undefined) message[field.name] = readField(new WireReader(body), field, version, true);
  }
}

function readField(reader: WireReader, field: FieldSchema, version: number, flexible: boolean): unknown {
  const nullable = inVersions(field.nullable, version);
  if (field.type === 'array') {
    const length = reader.length(flexible, true);
    if (length < 0) {
      if (nullable) return null;
      throw reader.malformed(`a null array for non-nullable field "${field.name}"`);
    }
    if (length > reader.remaining()) throw reader.malformed(`an array of ${length} entries in ${reader.remaining()} bytes (field "${field.name}")`);
    const out: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = field.fields !== undefined ? decodeMessage(reader, field.fields, version, flexible) : readPrimitive(reader, field.items!, false, flexible, field.name);
    }
    return out;
  }
  if (field.type === 'struct') {
    if (nullable && reader.int8() < 0) return null;
    return decodeMessage(reader, field.fields!, version, flexible);
  }
  return readPrimitive(reader, field.type, nullable, flexible, field.name);
}

function readPrimitive(reader: WireReader, type: PrimitiveType, nullable: boolean, flexible: boolean, name: string): unknown {
  switch (type) {
    case 'int8': return reader.int8();
    case 'int16': return reader.int16();
    case 'uint16': return reader.uint16();
    case 'int32': return reader.int32();
    case 'uint32': return reader.uint32();
    case 'int64': return reader.int64();
    case 'float64': return reader.float64();
    case 'bool': return reader.bool();
    case 'uuid': return Buffer.from(reader.raw(16));
    case 'string': {
      const length = reader.length(flexible, false);
      if (length < 0) {
        if (nullable) return null;
        throw reader.malformed(`a null string for non-nullable field "${name}"`);
      }
      return reader.raw(length).toString('utf8');
    }
    case 'bytes':
    case 'records': {
      const length = reader.length(flexible, true);
      if (length < 0) {
        if (nullable || type === 'records') return null;
        throw reader.malformed(`null bytes for non-nullable field "${name}"`);
      }
      return reader.raw(length);
    }
  }
}

function writeField(writer: WireWriter, field: FieldSchema, value: unknown, version: number, flexible: boolean): void {
  if (field.type === 'array') {
    if (value === null) {
      writer.length(-1, flexible, true);
      return;
    }
    const items = value as unknown[];
    writer.length(items.length, flexible, true);
    for (const item of items) {
      if (field.fields !== undefined) encodeMessage(writer, field.fields, item as Message, version, flexible);
      else writePrimitive(writer, field.items!, item, flexible);
    }
    return;
  }
  if (field.type === 'struct') {
    if (inVersions(field.nullable, version)) {
      writer.int8(value === null ? -1 : 1);
      if (value === null) return;
    }
    encodeMessage(writer, field.fields!, (value ?? {}) as Message, version, flexible);
    return;
  }
  writePrimitive(writer, field.type, value, flexible);
}

function writePrimitive(writer: WireWriter, type: PrimitiveType, value: unknown, flexible: boolean): void {
  switch (type) {
    case 'int8': return writer.int8(value as number);
    case 'int16': return writer.int16(value as number);
    case 'uint16': return writer.uint16(value as number);
    case 'int32': return writer.int32(value as number);
    case 'uint32': return writer.uint32(value as number);
    case 'int64': return writer.int64(value as number);
    case 'float64': return writer.float64(value as number);
    case 'bool': return writer.bool(value as boolean);
    case 'uuid': return writer.raw(value === null || value === undefined ? Buffer.alloc(16) : (value as Buffer));
    case 'string': {
      if (value === null) return writer.length(-1, flexible, false);
      const bytes = Buffer.from(value as string, 'utf8');
      writer.length(bytes.length, flexible, false);
      return writer.raw(bytes);
    }
    case 'bytes':
    case 'records': {
      if (value === null || value === undefined) return writer.length(-1, flexible, true);
      const bytes = value as Buffer;
      writer.length(bytes.length, flexible, true);
      return writer.raw(bytes);
    }
  }
}
