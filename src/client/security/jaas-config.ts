import { StreamsError } from '../../common/index.ts';

/** The login modules whose `username`/`password` options kstreams reads, by the mechanisms they serve. */
const LOGIN_MODULES: ReadonlyMap<string, readonly string[]> = new Map([
  ['org.apache.kafka.common.security.plain.PlainLoginModule', ['PLAIN']],
  ['org.apache.kafka.common.security.scram.ScramLoginModule', ['SCRAM-SHA-256', 'SCRAM-SHA-512']],
  ['org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule', ['OAUTHBEARER']],
]);

/** One JAAS login line: the module and its options. */
export interface JaasLogin {
  readonly module: string;
  readonly options: ReadonlyMap<string, string>;
}

/**
 * Reads Kafka's `sasl.jaas.config`, one JAAS login line such as
 * `org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="s3cret";`
 * and checks that its module serves `mechanism`. Option values may be quoted (with `\"` and `\\`
 * escapes) or bare words.
 */
export function parseJaasConfig(text: string, mechanism: string): JaasLogin {
  const match = /^\s*([\w.$]+)\s+(required|requisite|sufficient|optional)\b([\s\S]*?);?\s*$/.exec(text);
  if (match === null) {
    throw new StreamsError('INVALID_CONFIG', `"sasl.jaas.config" must read '<LoginModule class> required key="value" ...;', got ${JSON.stringify(text)}`);
  }
  const [, module, , rest] = match as unknown as [string, string, string, string];
  const mechanisms = LOGIN_MODULES.get(module);
  if (mechanisms === undefined) {
    throw new StreamsError('INVALID_CONFIG', `"sasl.jaas.config" names the login module ${module}, which kstreams cannot run; use ${[...LOGIN_MODULES.keys()].join(', ')}`);
  }
  if (!mechanisms.includes(mechanism)) {
    throw new StreamsError('INVALID_CONFIG', `"sasl.jaas.config" names ${module}, which does not serve "sasl.mechanism" ${mechanism} (it serves ${mechanisms.join(', ')})`);
  }
  return { module, options: parseOptions(rest) };
}

function parseOptions(text: string): Map<string, string> {
  const options = new Map<string, string>();
  const option = /\s*([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s";]+))/y;
  let at = 0;
  while (at < text.length && text.slice(at).trim() !== '') {
    option.lastIndex = at;
    const found = option.exec(text);
    if (found === null) throw new StreamsError('INVALID_CONFIG', `"sasl.jaas.config": cannot read the options from ${JSON.stringify(text.slice(at).trim())}; write them as key="value"`);
    options.set(found[1]!, found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : found[3]!);
    at = option.lastIndex;
  }
  return options;
}
