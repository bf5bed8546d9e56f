import { StreamsError } from '../../common/index.ts';
import type { ResolvedRegistryConfig } from './registry-config.ts';

/** `AVRO` or `JSON`, as the registry names schema types. */
export type SchemaType = 'AVRO' | 'JSON';

/** A schema as the registry holds it. */
export interface RegisteredSchema {
  readonly id: number;
  readonly schema: string;
  readonly schemaType: SchemaType;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * A small client of Confluent's Schema Registry REST API (also served by Apicurio's ccompat API
 * and Redpanda): register, look up, latest version, schema by id. Every answer is cached for the
 * life of the client — ids never change meaning — and concurrent asks for the same thing share one
 * request. All calls are async; registry serdes call them outside the per-record path.
 */
export class SchemaRegistryClient {
  private readonly ids = new Map<string, Promise<number>>();
  private readonly byId = new Map<number, Promise<RegisteredSchema>>();

  constructor(private readonly config: ResolvedRegistryConfig) {}

  /** Registers `schema` under `subject` (a no-op in the registry if it is already there) and returns its id. */
  register(subject: string, schema: string, schemaType: SchemaType): Promise<number> {
    return this.cachedId(`register\0${subject}\0${schema}`, async () => {
      const answer = await this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, bodyOf(schema, schemaType));
      return idOf(answer, `registering a schema under subject '${subject}'`);
    });
  }

  /** The id of `schema` if it is registered under `subject`; a SCHEMA_REGISTRY_ERROR (404) if not. */
  lookup(subject: string, schema: string, schemaType: SchemaType): Promise<number> {
    return this.cachedId(`lookup\0${subject}\0${schema}`, async () => {
      const answer = await this.request('POST', `/subjects/${encodeURIComponent(subject)}`, bodyOf(schema, schemaType));
      return idOf(answer, `looking up a schema under subject '${subject}'`);
    });
  }

  /** The latest version registered under `subject` (asked once per client). */
  latest(subject: string): Promise<RegisteredSchema> {
    return this.version(subject, 'latest');
  }

  /** Every version registered under `subject`, oldest first: what a reader prefetches at start-up. */
  async allVersions(subject: string): Promise<RegisteredSchema[]> {
    const versions = await this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
    if (!Array.isArray(versions)) throw registryError(`the registry answered the versions of subject '${subject}' with ${JSON.stringify(versions)?.slice(0, 80)}, not a list`);
    return Promise.all(versions.map((v) => this.version(subject, String(v))));
  }

  /** The schema with id `id`. */
  schemaById(id: number): Promise<RegisteredSchema> {
    let found = this.byId.get(id);
    if (found === undefined) {
      found = this.request('GET', `/schemas/ids/${id}`).then((answer) => schemaOf(answer, id, `schema id ${id}`));
      this.forgetOnFailure(this.byId, id, found);
    }
    return found;
  }

  private async version(subject: string, version: string): Promise<RegisteredSchema> {
    const answer = await this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`);
    const id = idOf(answer, `version ${version} of subject '${subject}'`);
    const schema = schemaOf(answer, id, `version ${version} of subject '${subject}'`);
    if (!this.byId.has(id)) this.byId.set(id, Promise.resolve(schema));
    return schema;
  }

  private cachedId(key: string, ask: () => Promise<number>): Promise<number> {
    let found = this.ids.get(key);
    if (found === undefined) {
      found = ask();
      this.forgetOnFailure(this.ids, key, found);
    }
    return found;
  }

  /** Failures are not cached: the next call asks again (the registry may have been down). */
  private forgetOnFailure<K, V>(cache: Map<K, Promise<V>>, key: K, pending: Promise<V>): void {
    cache.set(key, pending);
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key);
    });
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: CONTENT_TYPE };
    if (body !== undefined) headers['content-type'] = CONTENT_TYPE;
    if (this.config.authorization !== undefined) headers.authorization = this.config.authorization;
    let lastFailure: unknown;
    // Several URLs are alternatives: a connection failure moves on to the next, an HTTP answer does not.
    for (const base of this.config.urls) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      } catch (cause) {
        lastFailure = cause;
        continue;
      }
      const text = await response.text();
      let answer: unknown;
      try {
        answer = text === '' ? null : JSON.parse(text);
      } catch {
        answer = text;
      }
      if (!response.ok) {
        const detail = (answer as { message?: unknown } | null)?.message ?? text.slice(0, 200);
        const hint = response.status === 401 || response.status === 403 ? '; check basic.auth.user.info' : '';
        throw registryError(`${method} ${base}${path} answered HTTP ${response.status}: ${String(detail)}${hint}`);
      }
      return answer;
    }
    throw registryError(`no schema registry answered at ${this.config.urls.join(', ')} (${lastFailure instanceof Error ? (lastFailure.cause as Error | undefined)?.message ?? lastFailure.message : String(lastFailure)}); check schema.registry.url`, lastFailure);
  }
}

/** A registry failure: what was asked, the HTTP status if any (in the message), and what to check. */
const registryError = (message: string, cause?: unknown) => new StreamsError('SCHEMA_REGISTRY_ERROR', message, { cause });

function bodyOf(schema: string, schemaType: SchemaType): { schema: string; schemaType?: SchemaType } {
  // The registry's default type is AVRO; older registries reject the field, so it is sent only for JSON.
  return schemaType === 'AVRO' ? { schema } : { schema, schemaType };
}

function idOf(answer: unknown, what: string): number {
  const id = (answer as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' || !Number.isInteger(id)) throw registryError(`the registry's answer to ${what} has no schema id: ${JSON.stringify(answer)?.slice(0, 120)}`);
  return id;
}

function schemaOf(answer: unknown, id: number, what: string): RegisteredSchema {
  const fields = answer as { schema?: unknown; schemaType?: unknown } | null;
  if (typeof fields?.schema !== 'string') throw registryError(`the registry's answer for ${what} has no schema text: ${JSON.stringify(answer)?.slice(0, 120)}`);
  const schemaType = fields.schemaType === undefined || fields.schemaType === null ? 'AVRO' : fields.schemaType;
  if (schemaType !== 'AVRO' && schemaType !== 'JSON') throw registryError(`${what} is a ${String(schemaType)} schema; kstreams reads AVRO and JSON`);
  return { id, schema: fields.schema, schemaType };
}
