import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { StreamsError } from '../../common/index.ts';
import type { ClientSecurity, SaslCredentials } from '../client-settings.ts';
import { parseJaasConfig } from './jaas-config.ts';

type Protocol = ClientSecurity['protocol'];
type Mechanism = SaslCredentials['mechanism'];
type Config = Readonly<{ [key: string]: unknown }>;

const PROTOCOLS: readonly Protocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS: readonly Mechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'];

/** kstreams' own key: the OAUTHBEARER token, or a function returning one (Kafka names a Java callback handler class instead). */
export const OAUTHBEARER_TOKEN_KEY = 'sasl.oauthbearer.token.callback';

/** The security keys kstreams reads. */
export const SECURITY_KEYS: ReadonlySet<string> = new Set([
  'security.protocol', 'sasl.mechanism', 'sasl.jaas.config', OAUTHBEARER_TOKEN_KEY,
  'ssl.truststore.type', 'ssl.truststore.location', 'ssl.truststore.certificates',
  'ssl.keystore.type', 'ssl.keystore.location', 'ssl.keystore.certificate.chain', 'ssl.keystore.key', 'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
]);

/** Security keys of Kafka's clients that change nothing here: Node's TLS defaults (TLS 1.2+, its cipher list) apply. */
export const IGNORED_SECURITY_KEYS: ReadonlySet<string> = new Set([
  'ssl.protocol', 'ssl.enabled.protocols', 'ssl.cipher.suites', 'ssl.keymanager.algorithm', 'ssl.trustmanager.algorithm',
  'ssl.secure.random.implementation', 'sasl.login.refresh.window.factor', 'sasl.login.refresh.window.jitter',
  'sasl.login.refresh.min.period.seconds', 'sasl.login.refresh.buffer.seconds', 'sasl.login.connect.timeout.ms', 'sasl.login.read.timeout.ms',
]);

/** True for keys of Kafka's secure-connection settings. */
export function isSecurityKey(key: string): boolean {
  return key === 'security.protocol' || key.startsWith('ssl.') || key.startsWith('sasl.');
}

const TO_PEM = 'convert it to PEM: `keytool -importkeystore -srckeystore STORE.jks -destkeystore store.p12 -deststoretype PKCS12` then ' +
  '`openssl pkcs12 -in store.p12 -nokeys -out certs.pem` (and `-nocerts -nodes -out key.pem` for a key store), and set the type to PEM';

/**
 * The TLS and SASL settings a config asks for, read from Kafka's own keys so a Java client's
 * config carries over: `security.protocol`, `sasl.mechanism` with `sasl.jaas.config`, PEM trust
 * and key material (`ssl.truststore.*`, `ssl.keystore.*`, `ssl.key.password`) and
 * `ssl.endpoint.identification.algorithm` (empty turns hostname verification off). Returns
 * undefined for PLAINTEXT, and the keys that change nothing here (for one warning line).
 *
 * @example
 * securityOf({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-256',
 *   'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="s3cret";' });
 */
export function securityOf(config: Config): { security: ClientSecurity | undefined; ignored: string[] } {
  const keys = Object.keys(config).filter(isSecurityKey);
  for (const key of keys) {
    if (!SECURITY_KEYS.has(key) && !IGNORED_SECURITY_KEYS.has(key)) {
      throw new StreamsError('INVALID_CONFIG', `"${key}" is not supported: kstreams reads ${[...SECURITY_KEYS].join(', ')}`);
    }
  }
  const protocol = (stringOf(config, 'security.protocol') ?? 'PLAINTEXT').toUpperCase() as Protocol;
  if (!PROTOCOLS.includes(protocol)) {
    throw new StreamsError('INVALID_CONFIG', `"security.protocol" must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(config['security.protocol'])}`);
  }
  // As Kafka's clients: ssl.* keys mean nothing without TLS, sasl.* keys nothing without SASL.
  const usesTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const ignored = keys.filter((key) => IGNORED_SECURITY_KEYS.has(key) || (key.startsWith('ssl.') && !usesTls) || (key.startsWith('sasl.') && !usesSasl));
  if (protocol === 'PLAINTEXT') return { security: undefined, ignored };
  return {
    security: { protocol, ...(usesTls ? { tls: tlsOf(config) } : {}), ...(usesSasl ? { sasl: saslOf(config) } : {}) },
    ignored,
  };
}

function saslOf(config: Config): SaslCredentials {
  const mechanism = (stringOf(config, 'sasl.mechanism') ?? 'GSSAPI').toUpperCase() as Mechanism;
  if (!MECHANISMS.includes(mechanism)) {
    throw new StreamsError('INVALID_CONFIG', `"sasl.mechanism" ${mechanism}${config['sasl.mechanism'] === undefined ? ' (Kafka\'s default)' : ''} is not supported; set it to one of ${MECHANISMS.join(', ')}`);
  }
  const jaas = stringOf(config, 'sasl.jaas.config');
  if (mechanism === 'OAUTHBEARER') {
    if (jaas !== undefined) parseJaasConfig(jaas, mechanism);
    const token = config[OAUTHBEARER_TOKEN_KEY];
    if (typeof token !== 'function' && (typeof token !== 'string' || token === '')) {
      throw new StreamsError('INVALID_CONFIG', `"sasl.mechanism" OAUTHBEARER needs "${OAUTHBEARER_TOKEN_KEY}": a token string or a function returning one (or a promise of one)`);
    }
    return { mechanism, token: token as NonNullable<SaslCredentials['token']> };
  }
  if (jaas === undefined) {
    throw new StreamsError('INVALID_CONFIG', `"sasl.mechanism" ${mechanism} needs "sasl.jaas.config", e.g. '${mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule'} required username="alice" password="…";'`);
  }
  const { options } = parseJaasConfig(jaas, mechanism);
  const username = options.get('username');
  const password = options.get('password');
  if (username === undefined || password === undefined) {
    throw new StreamsError('INVALID_CONFIG', `"sasl.jaas.config" must give username="…" and password="…" for ${mechanism}`);
  }
  return { mechanism, username, password };
}

function tlsOf(config: Config): TlsOptions {
  const tls: { -readonly [key in keyof TlsOptions]: TlsOptions[key] } = {};
  const ca = trustedCertificates(config);
  if (ca !== undefined) tls.ca = ca;
  Object.assign(tls, clientCertificate(config));
  const algorithm = config['ssl.endpoint.identification.algorithm'] ?? 'https';
  if (algorithm === '') tls.checkServerIdentity = () => undefined;
  else if (typeof algorithm !== 'string' || algorithm.toLowerCase() !== 'https') {
    throw new StreamsError('INVALID_CONFIG', `"ssl.endpoint.identification.algorithm" must be "https" (the default) or "" (no hostname verification), got ${JSON.stringify(algorithm)}`);
  }
  return tls;
}

/** The CA certificates to trust, or undefined for Node's bundled CAs (as Java's default trust store). */
function trustedCertificates(config: Config): string | undefined {
  const location = stringOf(config, 'ssl.truststore.location');
  const inline = stringOf(config, 'ssl.truststore.certificates');
  if (location === undefined && inline === undefined) return undefined;
  storeType(config, 'ssl.truststore.type', location);
  if (location !== undefined && inline !== undefined) {
    throw new StreamsError('INVALID_CONFIG', 'give either "ssl.truststore.location" or "ssl.truststore.certificates", not both');
  }
  const pem = inline ?? pemFile(location!, 'ssl.truststore.location');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new StreamsError('INVALID_CONFIG', `${inline === undefined ? `"ssl.truststore.location" (${location})` : '"ssl.truststore.certificates"'} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`);
  }
  return pem;
}

/** The client certificate chain and key for mutual TLS, when the config gives them. */
function clientCertificate(config: Config): Pick<TlsOptions, 'cert' | 'key' | 'passphrase'> {
  const location = stringOf(config, 'ssl.keystore.location');
  const chain = stringOf(config, 'ssl.keystore.certificate.chain');
  const key = stringOf(config, 'ssl.keystore.key');
  if (location === undefined && chain === undefined && key === undefined) return {};
  storeType(config, 'ssl.keystore.type', location);
  if (config['ssl.keystore.password'] !== undefined) {
    throw new StreamsError('INVALID_CONFIG', '"ssl.keystore.password" does not apply to PEM key stores (as in Kafka); give the private key\'s password as "ssl.key.password"');
  }
  let pems: { cert: string; key: string };
  if (location !== undefined) {
    if (chain !== undefined || key !== undefined) throw new StreamsError('INVALID_CONFIG', 'give either "ssl.keystore.location" or "ssl.keystore.certificate.chain" with "ssl.keystore.key", not both');
    const pem = pemFile(location, 'ssl.keystore.location');
    pems = { cert: pem, key: pem };
  } else {
    if (chain === undefined || key === undefined) throw new StreamsError('INVALID_CONFIG', '"ssl.keystore.certificate.chain" and "ssl.keystore.key" go together: give both');
    pems = { cert: chain, key };
  }
  if (!pems.cert.includes('-----BEGIN CERTIFICATE-----') || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pems.key)) {
    throw new StreamsError('INVALID_CONFIG', `the client key store (${location ?? '"ssl.keystore.certificate.chain" and "ssl.keystore.key"'}) must hold a PEM certificate chain and a PEM private key`);
  }
  const passphrase = stringOf(config, 'ssl.key.password');
  return { ...pems, ...(passphrase === undefined ? {} : { passphrase }) };
}

/** Checks a store's type is PEM; JKS and PKCS12 are refused with how to convert them. */
function storeType(config: Config, key: string, location: string | undefined): void {
  const type = (stringOf(config, key) ?? (location !== undefined && /\.(jks|p12|pfx|pkcs12)$/i.test(location) ? 'JKS' : 'PEM')).toUpperCase();
  if (type === 'PEM') return;
  throw new StreamsError('INVALID_CONFIG', `"${key}" ${type}${config[key] === undefined ? ` (assumed from ${location})` : ''} is not supported: kstreams reads PEM only; ${TO_PEM}`);
}

function pemFile(path: string, key: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new StreamsError('INVALID_CONFIG', `"${key}": cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  if (!text.includes('-----BEGIN ')) {
    throw new StreamsError('INVALID_CONFIG', `"${key}" (${path}) is not a PEM file; if it is a JKS or PKCS12 store, ${TO_PEM}`);
  }
  return text;
}

function stringOf(config: Config, key: string): string | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new StreamsError('INVALID_CONFIG', `"${key}" must be a string, got ${JSON.stringify(value)}`);
  return value;
}
