import { StreamsError, isStreamsError } from '../common/index.ts';
import { LogEngine } from '../log/index.ts';
import type { LogEngineOptions } from '../log/index.ts';
import { DEFAULT_DATA_DIR } from './cli-args.ts';
import type { CommandTarget } from './command-target.ts';
import { EngineTarget } from './engine-target.ts';
import { NetworkTarget } from './network-target.ts';
import { commandSecurityOf } from './command-config.ts';
import { readServing } from './serving-file.ts';

/** The flags that say where a command acts. */
export const targetOptions = { 'data-dir': { type: 'string' }, 'bootstrap-server': { type: 'string' }, 'command-config': { type: 'string' } } as const;
export const targetHelp = `  --bootstrap-server H:P  act on this Kafka-protocol cluster (kstreams broker, Apache Kafka, Redpanda)
  --command-config FILE   with --bootstrap-server: a Java .properties file of Kafka's security keys
                          (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.*, ...)
  --data-dir DIR          act on this embedded log engine's directory (default ${DEFAULT_DATA_DIR}); when a
                          running \`kstreams run\` or \`kstreams broker\` serves it, through that process`;

/**
 * Kafka's console consumer and producer call their client properties file `--consumer.config` and
 * `--producer.config`; `kstreams consume` and `produce` take those names too.
 */
export const consumerConfigOption = { 'consumer.config': { type: 'string' } } as const;
export const producerConfigOption = { 'producer.config': { type: 'string' } } as const;
export const clientConfigHelp = (flag: 'consumer.config' | 'producer.config') => `${`  --${flag} FILE`.padEnd(26)}the same as --command-config (the name Kafka's console tools use)`;

type FlagValue = string | boolean | undefined;
type TargetValues = { 'data-dir'?: FlagValue; 'bootstrap-server'?: FlagValue; 'command-config'?: FlagValue; 'consumer.config'?: FlagValue; 'producer.config'?: FlagValue };

/**
 * Where a command acts: the cluster of `--bootstrap-server`; else the data directory — through the
 * process that serves it when one does (its engine holds the directory's lock), else opened here.
 */
export async function openTarget(values: TargetValues): Promise<CommandTarget> {
  const bootstrap = values['bootstrap-server'] as string | undefined;
  const dataDir = values['data-dir'] as string | undefined;
  const configs = (['command-config', 'consumer.config', 'producer.config'] as const).filter((flag) => values[flag] !== undefined);
  if (configs.length > 1) throw new StreamsError('INVALID_ARGUMENT', `${configs.map((flag) => `--${flag}`).join(' and ')} are the same setting: give one`);
  const commandConfig = configs[0] === undefined ? undefined : values[configs[0]] as string;
  if (bootstrap !== undefined) {
    if (dataDir !== undefined) throw new StreamsError('INVALID_ARGUMENT', '--bootstrap-server and --data-dir exclude each other: pick the cluster or the embedded engine');
    return NetworkTarget.connect(bootstrap, bootstrap, undefined, commandConfig === undefined ? undefined : commandSecurityOf(commandConfig));
  }
  if (commandConfig !== undefined) throw new StreamsError('INVALID_ARGUMENT', '--command-config configures the connection to --bootstrap-server; give that too');
  const dir = dataDir ?? DEFAULT_DATA_DIR;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const serving = readServing(dir);
    if (serving !== undefined) {
      const where = `data directory ${dir} (served by ${serving.serves}, process ${serving.pid}, on 127.0.0.1:${serving.port})`;
      return NetworkTarget.connect(`127.0.0.1:${serving.port}`, where, serving.applicationId);
    }
    try {
      return await EngineTarget.open(dir);
    } catch (error) {
      // Held without an announcement: another short command, or a process about to announce its port.
      if (!isStreamsError(error) || error.code !== 'DATA_DIR_LOCKED' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** How long a command waits for a data directory another process holds without serving it. */
const LOCK_WAIT_MS = 10_000;

/**
 * Opens the engine of a data directory for a long-running process (`run`, `broker`), waiting a
 * little while a short command holds it; a directory another process serves is refused at once.
 */
export async function openEngineWaiting(dataDir: string, options: Omit<LogEngineOptions, 'dataDir'> = {}): Promise<LogEngine> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return await LogEngine.open({ ...options, dataDir });
    } catch (error) {
      if (!isStreamsError(error) || error.code !== 'DATA_DIR_LOCKED' || readServing(dataDir) !== undefined || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
