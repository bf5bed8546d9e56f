import { getLogger } from '../../common/index.ts';
import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

const log = getLogger('broker');

/**
 * SaslAuthenticate: one round of the mechanism's exchange. A failed login is answered with
 * SASL_AUTHENTICATION_FAILED and a message that does not say whether the user exists (the broker
 * log does); the connection is closed at its next request.
 */
export const handleSaslAuthenticate: ApiHandler = async (_context, request, _version, source) => {
  const step = await source.session.authenticate(request['authBytes'] as Buffer);
  if ('illegal' in step) {
    return { errorCode: ERROR_CODES.ILLEGAL_SASL_STATE, errorMessage: 'SaslAuthenticate before a successful SaslHandshake', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 };
  }
  if ('failure' in step) {
    log.warn(`authentication from ${source.clientHost} (client id "${source.clientId}") failed: ${step.failure}`);
    return { errorCode: ERROR_CODES.SASL_AUTHENTICATION_FAILED, errorMessage: 'Authentication failed: invalid username or password', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 };
  }
  if (step.done) log.info(`${source.clientHost} authenticated as "${step.user}"`);
  return { errorCode: ERROR_CODES.NONE, errorMessage: null, authBytes: step.token, sessionLifetimeMs: 0 };
};
