import { StreamsError } from '../common/index.ts';
import type { UrlKeyFormat } from './url-keys.ts';

// The query parameters of the /stores routes: key bounds, time bounds and the entry limit.

/** Times when a query gives none: every window start. */
const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };
/** Entries one instance returns for a range or all-entries query, unless `?limit=` says otherwise. */
export const DEFAULT_LIMIT = 10_000;

/** The key in `?<name>=` read with the URL key format, or null (unbounded) when absent. */
export function optionalKey(url: URL, name: string, format: UrlKeyFormat): unknown {
  const text = url.searchParams.get(name);
  return text === null ? null : format.parse(text);
}

/** Times in ms from `?<fromName>=&<toName>=`, each side unbounded when absent. */
export function timeRange(url: URL, fromName: string, toName: string): { from: number; to: number } {
  return { from: wholeParam(url, fromName, ALL_TIME.from), to: wholeParam(url, toName, ALL_TIME.to) };
}

/** A whole number >= 0 from `?<name>=`, or `fallback` when absent. */
export function wholeParam(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new StreamsError('INVALID_ARGUMENT', `?${name}=${text}: give a whole number >= 0${name === 'limit' ? '' : ' (milliseconds since the epoch)'}`);
  }
  return value;
}
