import { StreamsError } from '../common/index.ts';
import { isSecurityKey, securityOf } from '../client/index.ts';
import type { ClientOptions, ClientSettings } from '../client/index.ts';
import { CLIENT_PREFIXES } from './config-keys.ts';
import { isOffsetResetKey } from './offset-reset.ts';
import type { ClientPrefix } from './config-keys.ts';
import type { StreamsConfig } from './streams-config-shape.ts';

type ClientName = 'admin' | 'producer' | 'consumer';
type Setting = keyof ClientOptions;

/** Kafka client keys kstreams applies, with @platformatic/kafka's name and the clients they fit. */
const CLIENT_KEYS: ReadonlyMap<string, { readonly setting: Setting; readonly clients: readonly ClientName[] }> = new Map([
  ['request.timeout.ms', { setting: 'requestTimeout', clients: ['admin', 'producer', 'consumer'] }],
  ['socket.connection.setup.timeout.ms', { setting: 'connectTimeout', clients: ['admin', 'producer', 'consumer'] }],
  ['retry.backoff.ms', { setting: 'retryDelay', clients: ['admin', 'producer', 'consumer'] }],
  ['metadata.max.age.ms', { setting: 'metadataMaxAge', clients: ['admin', 'producer', 'consumer'] }],
  ['max.in.flight.requests.per.connection', { setting: 'maxInflights', clients: ['admin', 'producer', 'consumer'] }],
  // The consumer never retries on its own: it would rejoin the group without kstreams' assignor.
  ['retries', { setting: 'retries', clients: ['admin', 'producer'] }],
  ['compression.type', { setting: 'compression', clients: ['producer'] }],
  ['group.instance.id', { setting: 'groupInstanceId', clients: ['consumer'] }],
] as const);

/** Which clients a prefix configures; `main.consumer.` is the consumer kstreams has. */
const PREFIX_CLIENTS: { readonly [prefix in ClientPrefix]: readonly ClientName[] } = {
  'admin.': ['admin'], 'producer.': ['producer'], 'consumer.': ['consumer'], 'main.consumer.': ['consumer'],
  'restore.consumer.': [], 'global.consumer.': [], 'topic.': [],
};

/**
 * Kafka Streams suffixes the main consumer's group.instance.id with its stream thread's index
 * (from 1), so `group.instance.id: "host-a"` joins as "host-a-1", as a Java application would.
 */
const MAIN_CONSUMER_THREAD = 1;

const COMPRESSIONS = new Set(['none', 'gzip', 'snappy', 'lz4', 'zstd']);

/**
 * The client settings a config asks for, as Kafka Streams reads them: unprefixed client keys for
 * every client, then `consumer.`/`producer.`/`admin.`, then `main.consumer.` (the more specific
 * prefix wins). Returns the settings and the keys that apply to nothing here (for one warning):
 * client keys kstreams has no equivalent for, and `restore.consumer.`/`global.consumer.` keys
 * (kstreams reads restores and global tables through its one consumer). Kafka's security keys
 * (`security.protocol`, `ssl.*`, `sasl.*`) secure every client alike (see `securityOf`).
 */
export function clientSettingsOf(config: StreamsConfig): { settings: ClientSettings; ignored: string[] } {
  const settings: { [client in ClientName]: { [setting: string]: unknown } } = { admin: {}, producer: {}, consumer: {} };
  const ignored: string[] = [];
  const apply = (key: string, name: string, clients: readonly ClientName[]): boolean => {
    const known = CLIENT_KEYS.get(name);
    if (known === undefined || clients.length === 0) return false;
    const fits = clients.filter((client) => known.clients.includes(client));
    if (fits.length === 0) return false;
    for (const client of fits) settings[client][known.setting] = valueOf(key, known.setting, config[key]);
    return true;
  };
  for (const key of Object.keys(config)) {
    if (CLIENT_KEYS.has(key)) apply(key, key, ['admin', 'producer', 'consumer']);
  }
  for (const prefix of CLIENT_PREFIXES) {
    for (const key of Object.keys(config)) {
      if (!key.startsWith(prefix)) continue;
      if (isSecurityKey(key.slice(prefix.length))) {
        throw new StreamsError('INVALID_CONFIG', `"${key}": kstreams secures all its clients alike; give "${key.slice(prefix.length)}" without the "${prefix}" prefix`);
      }
      if (isOffsetResetKey(key)) continue; // the runtime's own reset policy (offset-reset.ts)
      if (!apply(key, key.slice(prefix.length), PREFIX_CLIENTS[prefix])) ignored.push(key);
    }
  }
  const { security, ignored: unusedSecurity } = securityOf(config);
  ignored.push(...unusedSecurity);
  return { settings: { ...(settings as ClientSettings), ...(security === undefined ? {} : { security }) }, ignored: [...new Set(ignored)] };
}

/** Whether `key` is a client setting (prefixed, or one of the client keys kstreams applies). */
export function isClientKey(key: string): boolean {
  return CLIENT_KEYS.has(key) || CLIENT_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Kafka's rule for a group.instance.id: 1 to 249 characters of [a-zA-Z0-9._-]. */
const INSTANCE_ID = /^[a-zA-Z0-9._-]{1,249}$/;

function valueOf(key: string, setting: Setting, raw: unknown): unknown {
  if (setting === 'groupInstanceId') {
    if (typeof raw === 'string' && INSTANCE_ID.test(raw)) return `${raw}-${MAIN_CONSUMER_THREAD}`;
    throw new StreamsError('INVALID_CONFIG', `"${key}" must be 1 to 249 characters of letters, digits, ".", "_" and "-", unique per instance (e.g. the host name), got ${JSON.stringify(raw)}`);
  }
  if (setting === 'compression') {
    if (typeof raw === 'string' && COMPRESSIONS.has(raw)) return raw;
    throw new StreamsError('INVALID_CONFIG', `"${key}" must be one of ${[...COMPRESSIONS].join(', ')}, got ${JSON.stringify(raw)}`);
  }
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StreamsError('INVALID_CONFIG', `"${key}" must be a whole number >= 0, got ${JSON.stringify(raw)}`);
  }
  return value;
}
