import { KafkaBroker, addUser } from '../broker/index.ts';
import { StreamsError } from '../common/index.ts';
import { brokerSaslOf, brokerSecurityHelp, brokerSecurityOptions, brokerTlsOf, securityProtocolOf } from './broker-security.ts';
import { openEngineWaiting } from './open-target.ts';
import { announceServing } from './serving-file.ts';
import { DEFAULT_DATA_DIR, dataDirHelp, dataDirOption, intOption, parseCommandArgs } from './cli-args.ts';

const usage = `usage: kstreams broker [options]

Serves the embedded log engine over the Kafka wire protocol, so Kafka clients and tools (kafkajs,
@platformatic/kafka, kcat, the Java clients, kstreams apps with bootstrap.servers) can use it.
Runs until Ctrl-C.

options:
  --host HOST             interface to listen on (default 127.0.0.1: this machine only)
  --port N                port (default 9092)
  --advertised-host HOST  host clients are told to connect to (default: --host)
  --partitions N          partitions of topics created automatically (default 1)
  --no-auto-create        do not create unknown topics on Metadata or Produce
  --max-request-bytes N   largest request accepted (default 104857600)
${dataDirHelp(26)}
  -h, --help              show this help

limits (each bounds what one client can make the broker hold or create):
  --max-partitions-per-topic N    partitions one topic may have (default 1000; more: INVALID_PARTITIONS)
  --max-partitions-per-request N  partitions one CreateTopics request may create in all (default 10000;
                                  more: POLICY_VIOLATION, nothing created)
  --max-open-files N              segment and index files kept open; others are opened when used (default 1024)
  --fetch-max-bytes N             largest Fetch response, Kafka's fetch.max.bytes (default 57671680)
  --max-queued-request-bytes N    per connection: stop reading while this many request bytes wait (default 16777216)
  --max-unsent-response-bytes N   per connection: answer no further request while this many response bytes
                                  are unsent, because the client does not read (default 16777216)
  --connections-max-idle-ms N     close a connection idle this long (default 600000)
  --request-receive-timeout-ms N  close a connection whose started request is not complete after this (default 60000)

${brokerSecurityHelp}

examples:
  echo 's3cret' | kstreams broker --users-file users.json --add-user alice
  kstreams broker --tls-cert server.pem --tls-key server-key.pem --users-file users.json
  kstreams broker --tls-cert server.pem --tls-key server-key.pem --tls-ca ca.pem --tls-client-auth required`;

/** `kstreams broker`: serves the data directory until `stop` resolves (SIGINT/SIGTERM from the command line). */
export async function brokerCommand(argv: string[], out: (line: string) => void, stop: Promise<void>): Promise<number> {
  const { values, help } = parseCommandArgs('broker', argv, {
    ...dataDirOption,
    host: { type: 'string' },
    port: { type: 'string' },
    'advertised-host': { type: 'string' },
    partitions: { type: 'string' },
    'no-auto-create': { type: 'boolean' },
    'max-request-bytes': { type: 'string' },
    'max-partitions-per-topic': { type: 'string' },
    'max-partitions-per-request': { type: 'string' },
    'max-open-files': { type: 'string' },
    'fetch-max-bytes': { type: 'string' },
    'max-queued-request-bytes': { type: 'string' },
    'max-unsent-response-bytes': { type: 'string' },
    'connections-max-idle-ms': { type: 'string' },
    'request-receive-timeout-ms': { type: 'string' },
    ...brokerSecurityOptions,
  }, { min: 0, max: 0 });
  if (help) {
    out(usage);
    return 0;
  }
  const newUser = values['add-user'] as string | undefined;
  if (newUser !== undefined) {
    const usersFile = values['users-file'] as string | undefined;
    if (usersFile === undefined) throw new StreamsError('INVALID_ARGUMENT', '--add-user needs --users-file: the file to add the user to');
    await addUser(usersFile, newUser, (await standardInput()).split(/\r?\n/)[0] ?? '');
    out(`user "${newUser}" written to ${usersFile} (SCRAM-SHA-256 and SCRAM-SHA-512 credentials)`);
    return 0;
  }
  const tls = brokerTlsOf(values);
  const sasl = brokerSaslOf(values);
  const port = intOption('broker', 'port', values.port, 9092, 0);
  const defaultPartitions = intOption('broker', 'partitions', values.partitions, 1, 1);
  const maxRequestBytes = intOption('broker', 'max-request-bytes', values['max-request-bytes'], 100 * 1024 * 1024, 1024);
  const int = (flag: string, fallback: number, min: number) => intOption('broker', flag, values[flag as keyof typeof values], fallback, min);
  const limits = {
    maxQueuedRequestBytes: int('max-queued-request-bytes', 16 * 1024 * 1024, 1),
    maxUnsentResponseBytes: int('max-unsent-response-bytes', 16 * 1024 * 1024, 1),
    connectionsMaxIdleMs: int('connections-max-idle-ms', 600_000, 1),
    requestReceiveTimeoutMs: int('request-receive-timeout-ms', 60_000, 1),
    maxPartitionsPerRequest: int('max-partitions-per-request', 10_000, 1),
    fetchMaxBytes: int('fetch-max-bytes', 57_671_680, 1),
  };
  const dataDir = (values['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR;
  const engine = await openEngineWaiting(dataDir, {
    maxPartitionsPerTopic: int('max-partitions-per-topic', 1000, 1), maxOpenFiles: int('max-open-files', 1024, 3),
  });
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  const advertised = values['advertised-host'] as string | undefined;
  const broker = new KafkaBroker({
    engine, host, port, defaultPartitions, maxRequestBytes, ...limits, autoCreateTopics: values['no-auto-create'] !== true,
    ...(advertised === undefined ? {} : { advertisedHost: advertised }), ...(tls === undefined ? {} : { tls }), ...(sasl === undefined ? {} : { sasl }),
  });
  const protocol = securityProtocolOf(tls, sasl);
  let cleanup = () => {};
  try {
    const address = await broker.start();
    // The command line on this machine reaches the directory through a plaintext loopback listener
    // only; on a secured one it connects with --bootstrap-server and --command-config.
    const announced = address.host === '127.0.0.1' && protocol === 'PLAINTEXT' ? announceServing(dataDir, address.port) : undefined;
    cleanup = () => announced?.remove();
    out(`kstreams broker serving ${dataDir} on ${address.host}:${address.port}${protocol === 'PLAINTEXT' ? '' : ` (${protocol})`} (Ctrl-C to stop)`);
    await stop;
    out('stopping the broker');
    return 0;
  } finally {
    cleanup();
    await broker.close();
    await engine.close();
  }
}

/** Everything on standard input (the password of --add-user). */
async function standardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
