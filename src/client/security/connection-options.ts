import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { ClientSecurity, SaslCredentials } from '../client-settings.ts';

/** The Kafka client's connection options (`tls`, `sasl`) for a security setting; none for PLAINTEXT. */
export function connectionSecurityOf(security: ClientSecurity | undefined): { tls?: TlsOptions; sasl?: SaslCredentials } {
  if (security === undefined) return {};
  return { ...(security.tls === undefined ? {} : { tls: security.tls }), ...(security.sasl === undefined ? {} : { sasl: { ...security.sasl } }) };
}
