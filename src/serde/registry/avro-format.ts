import avro from 'avsc';
import type { SchemaFormat } from './schema-format.ts';

/**
 * Avro through avsc. A record written with an older or newer schema than the reader's is read
 * through avsc's schema resolution (Avro's rules: defaults fill added fields, removed fields are
 * skipped), with one resolver per writer schema.
 */
export function avroFormat(): SchemaFormat<avro.Type> {
  const resolvers = new WeakMap<avro.Type, WeakMap<avro.Type, avro.Resolver>>();
  const resolverOf = (reader: avro.Type, writer: avro.Type): avro.Resolver => {
    let byWriter = resolvers.get(reader);
    if (byWriter === undefined) resolvers.set(reader, (byWriter = new WeakMap()));
    let resolver = byWriter.get(writer);
    if (resolver === undefined) byWriter.set(writer, (resolver = reader.createResolver(writer)));
    return resolver;
  };
  return {
    schemaType: 'AVRO',
    label: 'Avro',
    parse: (text) => avro.Type.forSchema(JSON.parse(text) as avro.Schema),
    textOf: (type) => JSON.stringify(type.schema()),
    recordName: (type) => type.name,
    encode(type, value) {
      const problems: string[] = [];
      if (!type.isValid(value, { errorHook: (path) => problems.push(path.join('.') || '(root)') })) {
        throw new Error(`the value does not match the schema at ${problems.join(', ')}`);
      }
      return type.toBuffer(value);
    },
    decode(writer, reader, payload) {
      if (reader === undefined || reader === writer) return writer.fromBuffer(payload);
      return reader.fromBuffer(payload, resolverOf(reader, writer));
    },
  };
}
