/**
 * Reading @platformatic/kafka's errors. The client nests them (a ResponseError holds one
 * ProtocolError per failed partition) and marks each with Kafka's error id (`apiId`) and flags
 * (`canRetry`, `needsRejoin`); `findBy` searches an error and all it wraps.
 */
type Searchable = { findBy?: (key: string, value: unknown) => unknown };

/** The first error in `error`'s tree whose `key` is `value`, or undefined (also for errors not from the client). */
export function findInClientError<T = Error>(error: unknown, key: string, value: unknown): T | undefined {
  const found = (error as Searchable | null | undefined)?.findBy?.call(error, key, value);
  return found === null || found === undefined ? undefined : (found as T);
}

/** True when `error`, or one it wraps, has `key` set to `value` — `flag(e, 'canRetry', true)`, `flag(e, 'apiId', 'FENCED_INSTANCE_ID')`. */
export function clientErrorHas(error: unknown, key: string, value: unknown): boolean {
  return findInClientError(error, key, value) !== undefined;
}
