import { DateTime } from 'luxon';
import type { TimestampExtractor } from './api.ts';

/**
 * Ready-made timestamp extractors. A source uses the record's own timestamp unless it is given
 * one (`Consumed.withTimestampExtractor`) or the config sets `default.timestamp.extractor`.
 */
export const TimestampExtractors = {
  /**
   * Event time from an ISO-8601 string field of the (JSON) value, e.g. `"at": "2026-11-24T13:05:00+01:00"`.
   * A missing or unparsable field gives -1, which the invalid-timestamp policy then handles
   * (fail by default; see `default.timestamp.extractor`).
   *
   * @example
   * builder.stream('clicks', Consumed.with(Serdes.String(), Serdes.Json<Click>()).withTimestampExtractor(TimestampExtractors.fromIsoField('at')));
   */
  fromIsoField(field: string): TimestampExtractor {
    return (record) => {
      const value = record.value as { [key: string]: unknown } | null;
      const text = value === null || typeof value !== 'object' ? undefined : value[field];
      if (typeof text !== 'string') return -1;
      const time = DateTime.fromISO(text, { setZone: true });
      return time.isValid ? time.toMillis() : -1;
    };
  },
} as const;
