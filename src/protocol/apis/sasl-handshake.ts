import type { ApiSchema } from '../schema.ts';

/**
 * SaslHandshake (API key 17): the client names the SASL mechanism it will authenticate with; the
 * answer lists the mechanisms the listener enables. The tokens then travel in SaslAuthenticate.
 *
 * Served versions 0-1; never flexible. After a v0 handshake the SASL tokens travel as raw
 * size-prefixed frames outside the Kafka protocol; from v1 in SaslAuthenticate requests.
 * Fields as in Kafka's SaslHandshakeRequest.json and SaslHandshakeResponse.json:
 *
 *   SaslHandshakeRequest =>
 *     mechanism: string
 *
 *   SaslHandshakeResponse =>
 *     error_code: int16
 *     mechanisms: [string]
 */
export const saslHandshake: ApiSchema = {
  apiKey: 17,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: null,
  request: [
    { name: 'mechanism', type: 'string', versions: '0+' },
  ],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'mechanisms', type: 'array', items: 'string', versions: '0+' },
  ],
};
