import { readFileSync } from 'node:fs';
import { isSecurityKey, securityOf } from '../client/index.ts';
import type { ClientSecurity } from '../client/index.ts';
import { StreamsError, getLogger } from '../common/index.ts';
import { parseJavaProperties } from '../runtime/index.ts';

const log = getLogger('cli');

/**
 * The TLS and SASL settings of a `--command-config` file: Kafka's tools' properties file
 * (`security.protocol`, `sasl.mechanism`, `sasl.jaas.config`, `ssl.truststore.location`, ...),
 * so the file a Java client or `kafka-topics.sh` uses works as it is. Other client keys change
 * nothing here and are named in one warning line.
 *
 * @example
 * const security = commandSecurityOf('client.properties'); // security.protocol=SASL_SSL ...
 */
export function commandSecurityOf(path: string): ClientSecurity | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new StreamsError('INVALID_ARGUMENT', `--command-config: cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const config = Object.fromEntries(parseJavaProperties(text, path));
  const { security, ignored } = securityOf(config);
  const unused = [...Object.keys(config).filter((key) => !isSecurityKey(key)), ...ignored];
  if (unused.length > 0) log.warn(`--command-config ${path}: without effect here: ${unused.join(', ')}`);
  return security;
}
