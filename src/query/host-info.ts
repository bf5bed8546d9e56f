import { StreamsError } from '../common/index.ts';

/**
 * Where an application instance answers interactive queries: its `application.server` config
 * (Kafka's HostInfo). Instances tell each other these through the group, so any of them can say
 * which one holds a key.
 */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

/** Kafka's `HostInfo.unavailable()`: the owner of a key is not known (yet). */
export const UNAVAILABLE_HOST: HostInfo = Object.freeze({ host: 'unavailable', port: -1 });

/**
 * Parses `host:port` (the `application.server` config); `[::1]:8080` for IPv6.
 *
 * @example
 * parseHostInfo('orders-1.internal:7070'); // { host: 'orders-1.internal', port: 7070 }
 */
export function parseHostInfo(text: string, where = '"application.server"'): HostInfo {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text.trim());
  const port = match === null ? NaN : Number(match[2]);
  if (match === null || port < 1 || port > 65535) {
    throw new StreamsError('INVALID_CONFIG', `${where} must be "host:port" with a port from 1 to 65535, got ${JSON.stringify(text)}`);
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/** `host:port` of a HostInfo (brackets around IPv6 hosts). */
export function formatHostInfo(info: HostInfo): string {
  return info.host.includes(':') ? `[${info.host}]:${info.port}` : `${info.host}:${info.port}`;
}

/** True when both name the same host and port. */
export function sameHost(a: HostInfo, b: HostInfo): boolean {
  return a.host === b.host && a.port === b.port;
}
