import { KafkaBroker } from '../broker/index.ts';
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
${dataDirHelp}
  -h, --help              show this help`;

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
  }, { min: 0, max: 0 });
  if (help) {
    out(usage);
    return 0;
  }
  const port = intOption('broker', 'port', values.port, 9092, 0);
  const defaultPartitions = intOption('broker', 'partitions', values.partitions, 1, 1);
  const maxRequestBytes = intOption('broker', 'max-request-bytes', values['max-request-bytes'], 100 * 1024 * 1024, 1024);
  const dataDir = (values['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR;
  const engine = await openEngineWaiting(dataDir);
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  const advertised = values['advertised-host'] as string | undefined;
  const broker = new KafkaBroker({
    engine, host, port, defaultPartitions, maxRequestBytes, autoCreateTopics: values['no-auto-create'] !== true,
    ...(advertised === undefined ? {} : { advertisedHost: advertised }),
  });
  let cleanup = () => {};
  try {
    const address = await broker.start();
    // The command line on this machine reaches the directory through a loopback listener only.
    const announced = address.host === '127.0.0.1' ? announceServing(dataDir, address.port) : undefined;
    cleanup = () => announced?.remove();
    out(`kstreams broker serving ${dataDir} on ${address.host}:${address.port} (Ctrl-C to stop)`);
    await stop;
    out('stopping the broker');
    return 0;
  } finally {
    cleanup();
    await broker.close();
    await engine.close();
  }
}
