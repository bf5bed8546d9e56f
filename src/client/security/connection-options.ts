import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { ClientSecurity, SaslCredentials } from '../client-settings.ts';

/** The Kafka client's SASL options: the credentials, and for OAUTHBEARER a check of the server's answer. */
type SaslOptions = SaslCredentials & { authBytesValidator?: (authBytes: Buffer, callback: (error: Error | null, value?: Buffer) => void) => void };

/** Marks the error of a token the cluster refused, for `securityFailureOf`. */
export const TOKEN_REFUSED = 'KSTREAMS_OAUTHBEARER_TOKEN_REFUSED';

/**
 * A server that refuses an OAUTHBEARER token answers with a JSON error challenge (RFC 7628) rather
 * than an error code; the client would take that for success. This turns it into the failure it is.
 */
function oauthBearerAnswerCheck(authBytes: Buffer, callback: (error: Error | null, value?: Buffer) => void): void {
  if (authBytes.length === 0) {
    callback(null, authBytes);
    return;
  }
  let status = authBytes.toString('utf8');
  try {
    status = String((JSON.parse(status) as { status?: unknown }).status ?? status);
  } catch {
    // not JSON: report the answer as it is
  }
  callback(Object.assign(new Error(`the cluster refused the token (${status})`), { code: TOKEN_REFUSED }));
}

/** The Kafka client's connection options (`tls`, `sasl`) for a security setting; none for PLAINTEXT. */
export function connectionSecurityOf(security: ClientSecurity | undefined): { tls?: TlsOptions; sasl?: SaslOptions } {
  if (security === undefined) return {};
  const sasl = security.sasl;
  return {
    ...(security.tls === undefined ? {} : { tls: security.tls }),
    ...(sasl === undefined ? {} : { sasl: sasl.mechanism === 'OAUTHBEARER' ? { ...sasl, authBytesValidator: oauthBearerAnswerCheck } : { ...sasl } }),
  };
}
