import { StreamsError } from '../common/index.ts';

/** Kafka's longest legal topic name. */
export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]$/;

/**
 * Checks a topic name against Kafka's rules: 1 to 249 characters from `[a-zA-Z0-9._-]`, and not
 * `.` or `..` (they would name the partition directories' parents).
 *
 * @throws StreamsError INVALID_TOPIC_NAME naming the rule broken and, for a bad character, its position.
 * @example validateTopicName('orders.v2'); // ok
 */
export function validateTopicName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw invalid(String(name), 'a topic name cannot be empty');
  if (name === '.' || name === '..') throw invalid(name, `'${name}' is reserved`);
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw invalid(`${name.slice(0, 40)}…`, `it has ${name.length} characters; the limit is ${MAX_TOPIC_NAME_LENGTH}`);
  }
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (!LEGAL.test(ch)) {
      throw invalid(name, `character ${JSON.stringify(ch)} at position ${i} is not allowed; use only ASCII letters, digits, '.', '_' and '-'`);
    }
  }
}

function invalid(name: string, reason: string): StreamsError {
  return new StreamsError('INVALID_TOPIC_NAME', `invalid topic name "${name}": ${reason}`);
}
