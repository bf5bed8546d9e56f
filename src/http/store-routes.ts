import type { ServerResponse } from 'node:http';
import { StreamsError, isStreamsError } from '../common/index.ts';
import { QueryableStoreTypes, StoreQueryParameters, UNAVAILABLE_HOST, formatHostInfo, sameHost, storeKindType } from '../query/index.ts';
import type { HostInfo, QueryableStoreType, StoreKind } from '../query/index.ts';
import type { KafkaStreams } from '../runtime/index.ts';
import { Serdes } from '../serde/index.ts';
import { toJsonValue } from './json-rendering.ts';
import { sendJson, type HttpRoute } from './route.ts';
import { FORWARDED_PARAM, fetchLocalEntries, forwardRequest } from './store-forwarding.ts';
import { DEFAULT_LIMIT, optionalKey, timeRange, wholeParam } from './store-query-params.ts';
import { urlKeyFormat } from './url-keys.ts';

/**
 * Interactive queries over HTTP, for any instance of the application to answer:
 *
 * - `GET /stores/<store>/keys/<key>`: a key-value store's `{ key, value }` (404 when absent); a
 *   window store's windows of the key `[{ key: { key, start, end }, value }]`, limited to window
 *   starts in `?from=&to=` (ms); a session store's sessions of the key. Answered here when this
 *   instance's task owns the key's partition, else forwarded to the instance that does (by
 *   `application.server`).
 * - `GET /stores/<store>`: every entry, or keys in `?from=&to=` (a window store also takes
 *   `?timeFrom=&timeTo=`), gathered from every instance holding part of the store, one instance
 *   after another; `?scope=local` for this instance's part only; at most `?limit=` (10000)
 *   entries per instance.
 *
 * URL keys are text: `?keySerde=long|integer|double|json|bytes` (default `string`) says how to
 * turn it into the store's key, the same serde the key was written with. Values are rendered as
 * their serde produced them (Buffers as base64). Errors: 404 unknown store, 400 bad key or
 * parameter, 503 while the store cannot be read (rebalancing, restoring) — retry.
 */
export function storeRoutes(streams: KafkaStreams): HttpRoute[] {
  return [
    { path: /^\/stores\/([^/]+)\/keys\/(.+)$/, handle: (_request, response, { url, params }) => answering(response, () => keyQuery(streams, response, url, params[0]!, params[1]!)) },
    { path: /^\/stores\/([^/]+)$/, handle: (_request, response, { url, params }) => answering(response, () => rangeQuery(streams, response, url, params[0]!)) },
  ];
}

async function keyQuery(streams: KafkaStreams, response: ServerResponse, url: URL, store: string, keyText: string): Promise<void> {
  const format = urlKeyFormat(url.searchParams.get('keySerde'));
  const key = format.parse(keyText);
  const local = streams.applicationServer;
  // With application.server set, the key's partition is known: only that task is read.
  let partition = -1;
  if (local !== undefined) {
    const metadata = streams.queryMetadataForKey(store, key, format.serde);
    if (sameHost(metadata.activeHost, UNAVAILABLE_HOST)) {
      throw new StreamsError('INVALID_STATE_STORE', `no instance holds store "${store}" for this key yet (the application is starting or rebalancing); retry in a moment`);
    }
    if (!sameHost(metadata.activeHost, local) && url.searchParams.get(FORWARDED_PARAM) === null) {
      await forwardRequest(response, metadata.activeHost, url);
      return;
    }
    partition = metadata.partition;
  }
  const parameters = <T>(type: QueryableStoreType<T>) => {
    const all = StoreQueryParameters.fromNameAndType(store, type);
    return partition >= 0 ? all.withPartition(partition) : all;
  };
  const kind = storeKind(streams, store);
  if (kind === 'key-value') {
    const value = streams.store(parameters(QueryableStoreTypes.keyValueStore<unknown, unknown>())).get(key);
    if (value === null) sendJson(response, 404, { error: 'NOT_FOUND', message: `store "${store}" has no value for key ${JSON.stringify(keyText)}` });
    else sendJson(response, 200, { key: toJsonValue(key), value: toJsonValue(value) });
    return;
  }
  const { from, to } = timeRange(url, 'from', 'to');
  const entries = kind === 'window'
    ? streams.store(parameters(QueryableStoreTypes.windowStore<unknown, unknown>())).fetch(key, key, from, to)
    : streams.store(parameters(QueryableStoreTypes.sessionStore<unknown, unknown>())).findSessions(key, key, from, to);
  sendJson(response, 200, rendered(entries, Number.MAX_SAFE_INTEGER));
}

async function rangeQuery(streams: KafkaStreams, response: ServerResponse, url: URL, store: string): Promise<void> {
  const local = streams.applicationServer;
  if (local === undefined || url.searchParams.get('scope') === 'local' || url.searchParams.get(FORWARDED_PARAM) !== null) {
    sendJson(response, 200, localEntries(streams, url, store));
    return;
  }
  // Every instance holds all of a global store: this one answers alone.
  const holders = isGlobalStore(streams, store) ? [local] : streams.streamsMetadataForStore(store).filter((m) => m.stateStoreNames.has(store)).map((m) => m.hostInfo);
  if (holders.length === 0) throw new StreamsError('INVALID_STATE_STORE', `no instance holds store "${store}" yet (the application is starting or rebalancing); retry in a moment`);
  // Each part is a promise (async), so a local part that throws cannot leave a remote one's failure unhandled.
  const parts = await Promise.all(holders.map(async (host: HostInfo) => (sameHost(host, local) ? localEntries(streams, url, store) : fetchLocalEntries(host, url).catch((error: Error) => {
    throw new StreamsError('INVALID_STATE_STORE', `instance ${formatHostInfo(host)} did not give its part of store "${store}" (${error.message}); retry in a moment`);
  }))));
  sendJson(response, 200, parts.flat());
}

function localEntries(streams: KafkaStreams, url: URL, store: string): unknown[] {
  const format = urlKeyFormat(url.searchParams.get('keySerde'));
  const from = optionalKey(url, 'from', format);
  const to = optionalKey(url, 'to', format);
  const limit = wholeParam(url, 'limit', DEFAULT_LIMIT);
  const ranged = from !== null || to !== null;
  switch (storeKind(streams, store)) {
    case 'key-value': {
      const view = streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore<unknown, unknown>()));
      return rendered(ranged ? view.range(from, to) : view.all(), limit);
    }
    case 'window': {
      const times = timeRange(url, 'timeFrom', 'timeTo');
      return rendered(streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.windowStore<unknown, unknown>())).fetch(from, to, times.from, times.to), limit);
    }
    case 'session':
      return rendered(streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.sessionStore<unknown, unknown>())).fetch(from, to), limit);
  }
}

/** A global store's keys have no partition: Kafka's key metadata for one names partition -1 (and this instance). */
function isGlobalStore(streams: KafkaStreams, store: string): boolean {
  const { partition, activeHost } = streams.queryMetadataForKey(store, '', Serdes.String());
  return partition === -1 && !sameHost(activeHost, UNAVAILABLE_HOST);
}

function storeKind(streams: KafkaStreams, store: string): StoreKind {
  return streams.store(StoreQueryParameters.fromNameAndType(store, storeKindType()))();
}

/** Up to `limit` entries as JSON, closing the iterator. */
function rendered(entries: Iterator<{ key: unknown; value: unknown }> & { close(): void }, limit: number): unknown[] {
  const out: unknown[] = [];
  try {
    for (let next = entries.next(); next.done !== true && out.length < limit; next = entries.next()) {
      out.push({ key: toJsonValue(next.value.key), value: toJsonValue(next.value.value) });
    }
  } finally {
    entries.close();
  }
  return out;
}

/** Runs a query and answers its coded errors with their HTTP status: 404 unknown store, 400 bad input, 503 retry later. */
async function answering(response: ServerResponse, query: () => Promise<void>): Promise<void> {
  try {
    await query();
  } catch (error) {
    if (!isStreamsError(error)) throw error;
    const status = error.code === 'UNKNOWN_STATE_STORE' ? 404
      : error.code === 'INVALID_STATE_STORE' ? 503
        : error.code === 'INVALID_ARGUMENT' || error.code === 'SERIALIZATION_ERROR' ? 400 : undefined;
    if (status === undefined) throw error;
    if (status === 503) response.setHeader('retry-after', '1');
    sendJson(response, status, { error: error.code, message: error.message });
  }
}
