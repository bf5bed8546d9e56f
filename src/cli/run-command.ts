import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamsError, jsonLogSink, setLogSink } from '../common/index.ts';
import { KafkaBroker } from '../broker/index.ts';
import type { LogEngine } from '../log/index.ts';
import { KafkaStreams, importUserModule, readStreamsProperties } from '../runtime/index.ts';
import { startHttpEndpoint, type StartedHttpEndpoint } from '../http/index.ts';
import { Topology } from '../topology/index.ts';
import { DEFAULT_DATA_DIR, dataDirHelp, dataDirOption, intOption, parseCommandArgs } from './cli-args.ts';
import { openEngineWaiting } from './open-target.ts';
import { announceServing } from './serving-file.ts';

const usage = `usage: kstreams run <app.ts|app.js> [options]

Runs a streams application until Ctrl-C (SIGINT) or SIGTERM, then commits and closes it cleanly:
on the embedded log engine, or — with --bootstrap-server — on a Kafka-protocol cluster
(kstreams broker, Apache Kafka, Redpanda), where every process started with the same
application id shares the work and takes over the tasks of a process that stops or dies. The module's default export is { applicationId, topology, config? }
or a (possibly async) function returning it.

On the embedded engine the process also serves its data directory over the Kafka protocol on a
loopback port (announced in the directory), so \`kstreams topics|produce|consume --data-dir DIR\`
feed and watch the running application.

options:
  --state-dir DIR     where task state lives (default ./kstreams-state)
  --config K=V        a streams config, e.g. commit.interval.ms=1000 (repeatable)
  --config FILE       a Java .properties file of streams configs, as a Kafka Streams app has
                      (repeatable; key=value pairs override it)
  --log-format F      text (default) or json: one JSON object per log line on stderr
  --bootstrap-server H:P  run on this Kafka-protocol cluster (sets bootstrap.servers)
  --http-port N       serve /metrics (Prometheus), /health, /ready and /topology on port N
                      (0 picks a free port; the bound address is printed)
  --http-host H       the interface for --http-port (default 127.0.0.1; 0.0.0.0 in a container)
${dataDirHelp(22)}
  -h, --help          show this help

example:
  kstreams topics create orders --partitions 4 && kstreams topics create user-totals --partitions 4
  kstreams run my-app.ts --config commit.interval.ms=1000
  kstreams run my-app.ts --http-port 9464 --http-host 0.0.0.0   # scrape http://<host>:9464/metrics
  kstreams run my-app.ts --bootstrap-server 127.0.0.1:9092 --state-dir ./state-1   # one of several instances`;

/** What an application module exports. */
export interface StreamsApp {
  readonly applicationId: string;
  readonly topology: Topology;
  readonly config?: Readonly<{ [key: string]: unknown }>;
}

export async function runCommand(argv: string[], out: (line: string) => void, signals: NodeJS.EventEmitter = process): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('run', argv, {
    ...dataDirOption, 'state-dir': { type: 'string' }, config: { type: 'string', multiple: true }, 'log-format': { type: 'string' },
    'bootstrap-server': { type: 'string' }, 'http-port': { type: 'string' }, 'http-host': { type: 'string' },
  }, { min: 1, max: 1 });
  if (help) {
    out(usage);
    return 0;
  }
  const logFormat = values['log-format'] ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') throw new StreamsError('INVALID_ARGUMENT', `--log-format must be text or json, got '${String(logFormat)}'`);
  if (logFormat === 'json') setLogSink(jsonLogSink);
  const httpPort = values['http-port'] === undefined ? undefined : intOption('run', 'http-port', values['http-port'], 0);
  if (httpPort !== undefined && httpPort > 65_535) throw new StreamsError('INVALID_ARGUMENT', `--http-port must be a port number (0-65535), got ${httpPort}`);
  const httpHost = (values['http-host'] as string | undefined) ?? '127.0.0.1';
  const app = await loadApp(resolve(positionals[0]!));
  // Properties files first, then key=value pairs, so a pair overrides what a file says.
  const fromFiles: { [key: string]: unknown } = {};
  const overrides: { [key: string]: string } = {};
  for (const given of (values.config as string[] | undefined) ?? []) {
    const eq = given.indexOf('=');
    if (eq < 0) {
      Object.assign(fromFiles, readStreamsProperties(given));
      continue;
    }
    if (eq === 0) throw new StreamsError('INVALID_ARGUMENT', `--config expects key=value or a properties file, got '${given}'`);
    overrides[given.slice(0, eq)] = given.slice(eq + 1);
  }
  const configured = { ...app.config, ...fromFiles, ...overrides };
  const config = {
    ...configured,
    'application.id': app.applicationId,
    'state.dir': (values['state-dir'] as string | undefined) ?? stringSetting(configured, 'state.dir') ?? './kstreams-state',
    'log.dirs': (values['data-dir'] as string | undefined) ?? stringSetting(configured, 'log.dirs') ?? DEFAULT_DATA_DIR,
    ...(values['bootstrap-server'] === undefined ? {} : { 'bootstrap.servers': values['bootstrap-server'] as string }),
  };
  // On the embedded engine this process holds the data directory, and serves it to the command line.
  const engine = config['bootstrap.servers'] === undefined ? await openEngineWaiting(config['log.dirs']) : undefined;
  let served: { close(): Promise<void> } | undefined;
  let http: StartedHttpEndpoint | undefined;
  let streams: KafkaStreams;
  try {
    // Stream threads run in worker threads that rebuild the topology from the app's module.
    streams = new KafkaStreams(app.topology, config, { ...(engine === undefined ? {} : { engine }), topologyModule: pathToFileURL(resolve(positionals[0]!)) });
    streams.onStateChange((next, previous) => out(`kstreams: ${app.applicationId} ${previous} -> ${next}`));
    const stopped = new Promise<void>((done) => {
      const stop = () => {
        signals.off('SIGINT', stop);
        signals.off('SIGTERM', stop);
        done();
      };
      signals.on('SIGINT', stop);
      signals.on('SIGTERM', stop);
      streams.state$.subscribe((state) => state === 'ERROR' && stop());
    });
    if (engine !== undefined) served = await serve(engine, config['log.dirs'], app.applicationId);
    if (httpPort !== undefined) {
      // Listening before start(), so /ready answers (503) while the stores restore.
      http = await startHttpEndpoint(streams, { port: httpPort, host: httpHost });
      out(`kstreams: ${app.applicationId} serving http://${http.host}:${http.port} (/metrics /health /ready /topology)`);
    }
    await streams.start();
    await stopped;
    await streams.close();
  } finally {
    await http?.close();
    await served?.close();
    await engine?.close();
  }
  return streams.state === 'NOT_RUNNING' ? 0 : 1;
}

async function loadApp(file: string): Promise<StreamsApp> {
  let module: { default?: unknown };
  try {
    module = await importUserModule(pathToFileURL(file).href);
  } catch (cause) {
    throw new StreamsError('INVALID_ARGUMENT', `could not load ${file}: ${(cause as Error).message}`, { cause });
  }
  const exported = typeof module.default === 'function' ? await (module.default as () => unknown)() : module.default;
  const app = exported as Partial<StreamsApp> | undefined;
  if (app === undefined || typeof app.applicationId !== 'string' || !(app.topology instanceof Topology)) {
    throw new StreamsError('INVALID_ARGUMENT', `${file} must default-export { applicationId, topology, config? } or a function returning it`);
  }
  return app as StreamsApp;
}

/**
 * Serves the application's engine on a free loopback port and announces it in the data directory,
 * so the command line reaches the engine this process holds locked.
 */
async function serve(engine: LogEngine, dataDir: string, applicationId: string): Promise<{ close(): Promise<void> }> {
  const broker = new KafkaBroker({ engine, host: '127.0.0.1', port: 0, autoCreateTopics: false });
  const { port } = await broker.start();
  const announced = announceServing(dataDir, port, applicationId);
  return {
    async close() {
      announced.remove();
      await broker.close();
    },
  };
}

function stringSetting(config: { readonly [key: string]: unknown }, key: string): string | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new StreamsError('INVALID_CONFIG', `"${key}" must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}
