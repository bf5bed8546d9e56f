import { ERROR_CODES, SERVED_APIS } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

/** The versions this broker serves, per API (also sent, as v0, to a client asking with a version we do not know: KIP-511). */
export function servedVersions(): Array<{ apiKey: number; minVersion: number; maxVersion: number }> {
  return [...SERVED_APIS.values()].map((api) => ({ apiKey: api.apiKey, minVersion: api.minVersion, maxVersion: api.maxVersion }));
}

export const handleApiVersions: ApiHandler = async () => ({ errorCode: ERROR_CODES.NONE, apiKeys: servedVersions(), throttleTimeMs: 0 });
