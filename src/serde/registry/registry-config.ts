import { StreamsError } from '../../common/index.ts';

/**
 * The Schema Registry settings of a registry serde, under the names Confluent's serializers use,
 * so a properties file written for a Java client carries over.
 *
 * @example
 * const config: SchemaRegistryConfig = {
 *   'schema.registry.url': 'https://registry.example.com',
 *   'basic.auth.credentials.source': 'USER_INFO',
 *   'basic.auth.user.info': 'api-key:api-secret',
 *   'auto.register.schemas': false,
 *   'use.latest.version': true,
 * };
 */
export interface SchemaRegistryConfig {
  /** Base URL of the registry's REST API; several may be given comma-separated and are tried in order. */
  'schema.registry.url': string;
  /** `USER_INFO` takes the credentials from `basic.auth.user.info`; `URL` from the URL's `user:pass@`. */
  'basic.auth.credentials.source'?: 'USER_INFO' | 'URL';
  /** `user:password` for HTTP basic authentication (with `USER_INFO`). */
  'basic.auth.user.info'?: string;
  /** Register the serde's schema under its subject on first use (default true). */
  'auto.register.schemas'?: boolean;
  /** Write with the subject's latest registered schema instead of the serde's own (default false; needs `auto.register.schemas: false`). */
  'use.latest.version'?: boolean;
  /** `TopicNameStrategy` (default) or `RecordNameStrategy`, short or with Confluent's package name. */
  'key.subject.name.strategy'?: string;
  /** `TopicNameStrategy` (default) or `RecordNameStrategy`, short or with Confluent's package name. */
  'value.subject.name.strategy'?: string;
}

/** How a subject is named for a topic and a schema. */
export type SubjectNameStrategy = 'TopicNameStrategy' | 'RecordNameStrategy';

/** The settings a registry serde works with, checked and defaulted. */
export interface ResolvedRegistryConfig {
  readonly urls: readonly string[];
  readonly authorization: string | undefined;
  readonly autoRegister: boolean;
  readonly useLatestVersion: boolean;
  readonly strategy: SubjectNameStrategy;
}

const STRATEGY_PACKAGE = 'io.confluent.kafka.serializers.subject.';

const invalid = (key: string, reason: string) =>
  new StreamsError('INVALID_CONFIG', `schema registry config '${key}' ${reason}`);

/** Checks `config` for a key or value serde; a wrong setting is an INVALID_CONFIG naming the key. */
export function resolveRegistryConfig(config: SchemaRegistryConfig, isKey: boolean): ResolvedRegistryConfig {
  const rawUrl = config['schema.registry.url'];
  if (typeof rawUrl !== 'string' || rawUrl.trim() === '') throw invalid('schema.registry.url', 'is required: the base URL of the registry, e.g. http://localhost:8081');
  const parsed = rawUrl.split(',').map((text) => {
    try {
      return new URL(text.trim());
    } catch {
      throw invalid('schema.registry.url', `has '${text.trim()}', which is not a URL`);
    }
  });
  const source = config['basic.auth.credentials.source'];
  let authorization: string | undefined;
  if (source === 'USER_INFO') {
    const info = config['basic.auth.user.info'];
    if (typeof info !== 'string' || !info.includes(':')) throw invalid('basic.auth.user.info', "must be 'user:password' when basic.auth.credentials.source is USER_INFO");
    authorization = `Basic ${Buffer.from(info, 'utf8').toString('base64')}`;
  } else if (source === 'URL') {
    const withUser = parsed.find((url) => url.username !== '');
    if (withUser === undefined) throw invalid('basic.auth.credentials.source', 'is URL but no schema.registry.url has user:password@');
    authorization = `Basic ${Buffer.from(`${decodeURIComponent(withUser.username)}:${decodeURIComponent(withUser.password)}`, 'utf8').toString('base64')}`;
  } else if (source !== undefined) {
    throw invalid('basic.auth.credentials.source', `must be USER_INFO or URL, got '${String(source)}'`);
  }
  const urls = parsed.map((url) => {
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  });
  const autoRegister = config['auto.register.schemas'] ?? true;
  const useLatestVersion = config['use.latest.version'] ?? false;
  if (useLatestVersion && autoRegister) throw invalid('use.latest.version', 'needs auto.register.schemas: false (a serde either registers its own schema or writes with the latest one)');
  const strategyKey = isKey ? 'key.subject.name.strategy' : 'value.subject.name.strategy';
  const rawStrategy = (config[strategyKey] ?? 'TopicNameStrategy').replace(STRATEGY_PACKAGE, '');
  if (rawStrategy !== 'TopicNameStrategy' && rawStrategy !== 'RecordNameStrategy') {
    throw invalid(strategyKey, `must be TopicNameStrategy or RecordNameStrategy, got '${config[strategyKey]}'`);
  }
  return { urls, authorization, autoRegister, useLatestVersion, strategy: rawStrategy };
}

/**
 * The subject a schema lives under: `<topic>-key` / `<topic>-value` (TopicNameStrategy), or the
 * record's fully-qualified name (RecordNameStrategy), as Confluent's serializers name them.
 */
export function subjectName(strategy: SubjectNameStrategy, topic: string, isKey: boolean, recordName: string | undefined): string {
  if (strategy === 'TopicNameStrategy') return `${topic}-${isKey ? 'key' : 'value'}`;
  if (recordName === undefined) {
    throw new StreamsError('INVALID_CONFIG', 'RecordNameStrategy needs a named schema: an Avro record with a name, or a JSON Schema with a "title"');
  }
  return recordName;
}
