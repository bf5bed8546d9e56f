import { getLogger } from '../../common/index.ts';
import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

const log = getLogger('broker');

/** SaslHandshake: accepts the client's mechanism when the listener enables it, and names those it enables. */
export const handleSaslHandshake: ApiHandler = async (_context, request, version, source) => {
  const mechanism = request['mechanism'] as string;
  const outcome = source.session.handshake(mechanism, version);
  if (outcome !== 'ok') log.warn(`SASL handshake from ${source.clientHost} refused: ${outcome === 'unsupported' ? `mechanism ${mechanism} is not enabled (enabled: ${source.session.enabledMechanisms.join(', ') || 'none'})` : 'unexpected at this point of the connection'}`);
  const errorCode = outcome === 'ok' ? ERROR_CODES.NONE : outcome === 'unsupported' ? ERROR_CODES.UNSUPPORTED_SASL_MECHANISM : ERROR_CODES.ILLEGAL_SASL_STATE;
  return { errorCode, mechanisms: [...source.session.enabledMechanisms] };
};
