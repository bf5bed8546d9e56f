import * as apis from './apis/index.ts';
import type { ApiSchema } from './schema.ts';

/** Every API the broker serves, by key. */
export const SERVED_APIS: ReadonlyMap<number, ApiSchema> = new Map(Object.values(apis).map((api) => [api.apiKey, api]));

/** The schema of API `key` when it is served, else undefined. */
export function servedApi(key: number): ApiSchema | undefined {
  return SERVED_APIS.get(key);
}
