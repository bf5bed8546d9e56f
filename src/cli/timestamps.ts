import { StreamsError } from '../common/index.ts';

/**
 * A point in time given on the command line: milliseconds since the epoch, or an ISO-8601 date
 * and time as Kafka's tools take it (`2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.000+02:00`;
 * without a zone, UTC).
 */
export function parseTimestamp(flag: string, text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`;
  const ms = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?)?/.test(text) ? Date.parse(zoned) : Number.NaN;
  if (Number.isNaN(ms)) throw new StreamsError('INVALID_ARGUMENT', `${flag} must be ms since the epoch or an ISO-8601 date-time like 2024-05-01T12:00:00Z, got '${text}'`);
  return ms;
}
