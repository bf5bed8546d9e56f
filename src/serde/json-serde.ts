import type { Serde } from './serde.ts';
import { deserializationError, reasonOf, serializationError } from './serde-errors.ts';

/** Options of `Serdes.Json`. */
export interface JsonSerdeOptions<T> {
  /**
   * Checks a parsed value before it enters the topology; return false or throw to reject it. A
   * rejected record fails with DESERIALIZATION_ERROR naming topic, partition and offset, instead of
   * surfacing later as a confusing error in user code.
   */
  validate?: (value: unknown) => boolean;
  /** Names the type in error messages, e.g. 'Order'. */
  typeName?: string;
}

/**
 * UTF-8 JSON. Without `validate`, the parsed value is trusted to be a `T`.
 *
 * @example
 * const orders = Serdes.Json<Order>({ validate: (v) => typeof (v as Order).amount === 'number', typeName: 'Order' });
 */
export function jsonSerde<T>(options: JsonSerdeOptions<T> = {}): Serde<T> {
  const name = `Serdes.Json<${options.typeName ?? 'T'}>()`;
  const validate = options.validate;
  return {
    serialize(topic, data) {
      if (data === null) return null;
      let text: string | undefined;
      try {
        text = JSON.stringify(data);
      } catch (cause) {
        throw serializationError(name, topic, reasonOf(cause), cause);
      }
      if (text === undefined) throw serializationError(name, topic, `a ${typeof data} has no JSON form`);
      return Buffer.from(text, 'utf8');
    },
    deserialize(topic, data) {
      if (data === null) return null;
      let value: unknown;
      try {
        value = JSON.parse(data.toString('utf8'));
      } catch (cause) {
        throw deserializationError(name, topic, `not valid JSON (${reasonOf(cause)})`, cause);
      }
      if (validate !== undefined) {
        let valid: boolean;
        try {
          valid = validate(value);
        } catch (cause) {
          throw deserializationError(name, topic, `validation failed: ${reasonOf(cause)}`, cause);
        }
        if (!valid) throw deserializationError(name, topic, `the value failed validation: ${preview(data)}`);
      }
      return value as T;
    },
  };
}

function preview(data: Buffer): string {
  const text = data.toString('utf8');
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
