import { readFileSync } from 'node:fs';
import type { BrokerTlsOptions, SaslMechanism, SaslServerConfig } from '../broker/index.ts';
import { SASL_MECHANISMS, readUsersFile } from '../broker/index.ts';
import { StreamsError } from '../common/index.ts';

/** The broker's security flags. */
export const brokerSecurityOptions = {
  'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'tls-ca': { type: 'string' }, 'tls-client-auth': { type: 'string' },
  'users-file': { type: 'string' }, 'sasl-mechanisms': { type: 'string' }, 'add-user': { type: 'string' },
} as const;

export const brokerSecurityHelp = `security (clients then connect with Kafka's own settings: security.protocol, sasl.*, ssl.*):
  --tls-cert FILE         serve TLS with this PEM certificate chain (SSL; SASL_SSL with --users-file)
  --tls-key FILE          the certificate's PEM private key (unencrypted)
  --tls-ca FILE           PEM CA certificates that client certificates must chain to
  --tls-client-auth MODE  required: mutual TLS, clients must present a certificate --tls-ca signed;
                          none (default)
  --users-file FILE       require a SASL login from every client (SASL_PLAINTEXT; SASL_SSL with TLS):
                          JSON of salted SCRAM credentials, never passwords — see --add-user
  --sasl-mechanisms LIST  mechanisms enabled with --users-file
                          (default PLAIN,SCRAM-SHA-256,SCRAM-SHA-512)
  --add-user NAME         add (or replace) user NAME in --users-file with the password read from
                          standard input (SCRAM-SHA-256 and SCRAM-SHA-512 credentials), then exit`;

type Values = { readonly [flag in keyof typeof brokerSecurityOptions]?: string | boolean | undefined };

function pemOf(flag: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new StreamsError('INVALID_ARGUMENT', `--${flag}: cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  if (!text.includes('-----BEGIN ')) throw new StreamsError('INVALID_ARGUMENT', `--${flag} ${path} is not a PEM file; convert it with openssl (e.g. \`openssl pkcs12 -in store.p12 -nodes -out ${flag === 'tls-key' ? 'key' : 'cert'}.pem\`)`);
  return text;
}

/** The broker's TLS options from `--tls-*` flags, or undefined without `--tls-cert`. */
export function brokerTlsOf(values: Values): BrokerTlsOptions | undefined {
  const cert = values['tls-cert'] as string | undefined;
  const key = values['tls-key'] as string | undefined;
  const ca = values['tls-ca'] as string | undefined;
  const clientAuth = (values['tls-client-auth'] as string | undefined) ?? 'none';
  if (cert === undefined) {
    if (key !== undefined || ca !== undefined || values['tls-client-auth'] !== undefined) throw new StreamsError('INVALID_ARGUMENT', '--tls-key, --tls-ca and --tls-client-auth need --tls-cert; run `kstreams broker --help`');
    return undefined;
  }
  if (key === undefined) throw new StreamsError('INVALID_ARGUMENT', '--tls-cert needs --tls-key (its PEM private key)');
  if (clientAuth !== 'required' && clientAuth !== 'none') throw new StreamsError('INVALID_ARGUMENT', `--tls-client-auth must be "required" or "none", got "${clientAuth}"`);
  if (clientAuth === 'required' && ca === undefined) throw new StreamsError('INVALID_ARGUMENT', '--tls-client-auth required needs --tls-ca: the CA that signs the clients\' certificates');
  return { cert: pemOf('tls-cert', cert), key: pemOf('tls-key', key), ...(ca === undefined ? {} : { ca: pemOf('tls-ca', ca) }), clientAuth };
}

/** The broker's SASL from `--users-file` and `--sasl-mechanisms`, or undefined without a users file. */
export function brokerSaslOf(values: Values): SaslServerConfig | undefined {
  const usersFile = values['users-file'] as string | undefined;
  const listed = values['sasl-mechanisms'] as string | undefined;
  if (usersFile === undefined) {
    if (listed !== undefined) throw new StreamsError('INVALID_ARGUMENT', '--sasl-mechanisms needs --users-file');
    return undefined;
  }
  const mechanisms = (listed ?? SASL_MECHANISMS.join(',')).split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== '');
  for (const mechanism of mechanisms) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) throw new StreamsError('INVALID_ARGUMENT', `--sasl-mechanisms: ${mechanism} is not served; use ${SASL_MECHANISMS.join(', ')}`);
  }
  if (mechanisms.length === 0) throw new StreamsError('INVALID_ARGUMENT', '--sasl-mechanisms is empty');
  return { users: readUsersFile(usersFile), mechanisms: mechanisms as SaslMechanism[] };
}

/** Kafka's security.protocol of a listener with these settings, for the start-up line. */
export function securityProtocolOf(tls: BrokerTlsOptions | undefined, sasl: SaslServerConfig | undefined): string {
  if (sasl === undefined) return tls === undefined ? 'PLAINTEXT' : 'SSL';
  return tls === undefined ? 'SASL_PLAINTEXT' : 'SASL_SSL';
}
