import { StreamsError } from '../../common/index.ts';
import type { ClientSecurity } from '../client-settings.ts';
import { TOKEN_REFUSED } from './connection-options.ts';

/** Node's codes for a server certificate no trusted CA signed (or that is otherwise unverifiable). */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
]);
/** OpenSSL alerts a server sends when it refuses the client's certificate (or its absence). */
const CLIENT_CERTIFICATE_REFUSED = /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|HANDSHAKE_FAILURE)/;
/** What OpenSSL reports when the other end does not speak TLS. */
const NOT_TLS = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|wrong version number|packet length too long/;

type Failure = Error & { code?: unknown; apiId?: unknown; errors?: unknown; serverErrorMessage?: unknown };

/** Every error in a failure's tree: causes and the errors of aggregates. */
function allErrors(root: unknown): Failure[] {
  const seen = new Set<unknown>();
  const found: Failure[] = [];
  const visit = (error: unknown): void => {
    if (!(error instanceof Error) || seen.has(error)) return;
    seen.add(error);
    found.push(error as Failure);
    visit((error as Failure).cause);
    const errors = (error as Failure).errors;
    if (Array.isArray(errors)) errors.forEach(visit);
  };
  visit(root);
  return found;
}

/**
 * The one-line coded error for a connection that failed because of TLS or SASL — an unknown CA,
 * a certificate for another host, a refused client certificate, a wrong password — naming what
 * failed and what to change; undefined when the failure is something else.
 */
export function securityFailureOf(error: unknown, where: string, security: ClientSecurity | undefined): StreamsError | undefined {
  const errors = allErrors(error);
  const withCode = (test: (code: string) => boolean) => errors.find((e) => typeof e.code === 'string' && test(e.code));
  const tls = (message: string, cause: unknown) => new StreamsError('TLS_HANDSHAKE_FAILED', `TLS to ${where} failed: ${message}`, { cause });
  const untrusted = withCode((code) => UNTRUSTED_CERTIFICATE.has(code));
  if (untrusted !== undefined) {
    return tls(`the server's certificate is not signed by a trusted CA (${untrusted.code}); set "ssl.truststore.location" (PEM) to the CA that signed the cluster's certificates`, error);
  }
  const hostname = withCode((code) => code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  if (hostname !== undefined) {
    return tls(`the server's certificate is not for this host (${hostname.message}); connect by a name the certificate lists, or set "ssl.endpoint.identification.algorithm" to "" to skip the hostname check`, error);
  }
  const refused = withCode((code) => CLIENT_CERTIFICATE_REFUSED.test(code));
  if (refused !== undefined) {
    return tls(`the server refused this client's certificate (${refused.code}); set "ssl.keystore.location" (PEM key and certificate chain) to a certificate the cluster's CA signed`, error);
  }
  // Under TLS 1.3 a server checks the client's certificate after the handshake: a refusal reaches the client as a closed connection.
  const closed = errors.find((e) => /^Connection closed/.test(e.message));
  if (closed !== undefined && security?.tls !== undefined && security.sasl === undefined) {
    return tls(`the server closed the connection after the TLS handshake, as a listener with ssl.client.auth=required does when it refuses this client's certificate (or its absence); ` +
      'set "ssl.keystore.location" (PEM key and certificate chain) to a certificate the cluster\'s CA signed', error);
  }
  const plain = errors.find((e) => (typeof e.code === 'string' && NOT_TLS.test(e.code)) || NOT_TLS.test(e.message));
  if (plain !== undefined && security?.tls !== undefined) {
    return tls(`the server does not speak TLS on this port; check "security.protocol" (${security.protocol}) against the listener`, error);
  }
  const sasl = security?.sasl;
  if (sasl === undefined) return undefined;
  const mechanismRefused = errors.find((e) => e.apiId === 'UNSUPPORTED_SASL_MECHANISM');
  if (mechanismRefused !== undefined) {
    return new StreamsError('AUTHENTICATION_FAILED', `SASL at ${where} failed: the server does not enable ${sasl.mechanism}; set "sasl.mechanism" to one its listener enables`, { cause: error });
  }
  const rejected = errors.find((e) => e.apiId === 'SASL_AUTHENTICATION_FAILED' || e.constructor.name === 'AuthenticationError');
  if (rejected !== undefined) {
    const reason = errors.find((e) => e.code === TOKEN_REFUSED)?.message ?? errors.map((e) => e.serverErrorMessage).find((m) => typeof m === 'string' && m !== '') ?? rejected.message;
    const who = sasl.username === undefined ? 'the OAUTHBEARER token' : `user "${sasl.username}"`;
    const fix = sasl.username === undefined ? `check "sasl.oauthbearer.token.callback"` : 'check the username and password in "sasl.jaas.config"';
    return new StreamsError('AUTHENTICATION_FAILED', `SASL ${sasl.mechanism} authentication of ${who} at ${where} failed (${String(reason)}); ${fix}`, { cause: error });
  }
  return undefined;
}
