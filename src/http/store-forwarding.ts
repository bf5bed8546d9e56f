import type { ServerResponse } from 'node:http';
import { formatHostInfo } from '../query/index.ts';
import type { HostInfo } from '../query/index.ts';
import { sendJson } from './route.ts';

/** Marks a request one instance sent another, so it is answered there and never passed on again. */
export const FORWARDED_PARAM = 'forwarded';
/** How long an instance waits for the one it forwards to. */
const FORWARD_TIMEOUT_MS = 10_000;

/** The same request (path and query) on another instance, marked as forwarded. */
export function forwardedUrl(host: HostInfo, url: URL, extra: { [name: string]: string } = {}): string {
  const target = new URL(`${url.pathname}${url.search}`, `http://${formatHostInfo(host)}`);
  target.searchParams.set(FORWARDED_PARAM, 'true');
  for (const [name, value] of Object.entries(extra)) target.searchParams.set(name, value);
  return target.toString();
}

/**
 * Asks `host` the same question and passes its answer (status and JSON body) back. When that
 * instance cannot be reached (it stopped and the group has not moved its tasks yet), answers 503:
 * retry once the group has rebalanced.
 */
export async function forwardRequest(response: ServerResponse, host: HostInfo, url: URL): Promise<void> {
  try {
    const answer = await fetch(forwardedUrl(host, url), { signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
    sendJson(response, answer.status, await answer.json());
  } catch (error) {
    sendJson(response, 503, {
      error: 'INSTANCE_UNREACHABLE',
      message: `the instance holding this key, ${formatHostInfo(host)}, did not answer (${(error as Error).message}); retry once the application has rebalanced`,
    });
  }
}

/** Reads another instance's local answer (a JSON array) for a fan-out query; throws when it does not give one. */
export async function fetchLocalEntries(host: HostInfo, url: URL): Promise<unknown[]> {
  const answer = await fetch(forwardedUrl(host, url, { scope: 'local' }), { signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
  const body = await answer.json() as unknown;
  if (!answer.ok || !Array.isArray(body)) {
    throw new Error(`${formatHostInfo(host)} answered ${answer.status}: ${JSON.stringify(body)}`);
  }
  return body;
}
