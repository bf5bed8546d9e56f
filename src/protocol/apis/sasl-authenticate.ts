import type { ApiSchema } from '../schema.ts';

/**
 * SaslAuthenticate (API key 36): one round of the SASL exchange the handshake chose — the
 * client's token in, the server's token (or an error) out.
 *
 * Served versions 0-2; flexible (compact strings and bytes, tagged fields) from v2.
 * Fields as in Kafka's SaslAuthenticateRequest.json and SaslAuthenticateResponse.json:
 *
 *   SaslAuthenticateRequest =>
 *     auth_bytes: bytes
 *
 *   SaslAuthenticateResponse =>
 *     error_code: int16
 *     error_message: string (nullable)
 *     auth_bytes: bytes
 *     session_lifetime_ms: int64 (v1+; 0: the session never needs re-authenticating)
 */
export const saslAuthenticate: ApiSchema = {
  apiKey: 36,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  request: [
    { name: 'authBytes', type: 'bytes', versions: '0+' },
  ],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullable: '0+', default: null },
    { name: 'authBytes', type: 'bytes', versions: '0+' },
    { name: 'sessionLifetimeMs', type: 'int64', versions: '1+', default: 0 },
  ],
};
