import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * The reference kit: Apache Kafka (broker, Kafka Streams, Java clients) resolved from Maven Central
 * by `java/pom.xml`, the small Java harness in `java/src` compiled against it, and a single-node
 * KRaft broker on loopback for the integration tests. Built artifacts are cached under
 * `~/.cache/kstreams-reference/<hash of the pom and sources>`; the jars stay in Maven's own cache.
 */

const JAVA_ROOT = join(import.meta.dirname, 'java');
const CACHE_ROOT = process.env.KSTREAMS_REFERENCE_CACHE ?? join(homedir(), '.cache', 'kstreams-reference');

/** The Kafka version the pom pins: the broker, Kafka Streams and the clients all come from it. */
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(join(JAVA_ROOT, 'pom.xml'), 'utf8'))?.[1] ?? 'unknown';

/** The one line printed when the reference tests cannot run here; undefined when they can. */
export function missingReferenceTools(): string | undefined {
  const missing: string[] = [];
  if (!commandWorks('java', ['-version'])) missing.push('Java 17+');
  if (!commandWorks('javac', ['-version'])) missing.push('a JDK (javac)');
  if (!commandWorks('mvn', ['-v'])) missing.push('Maven');
  if (missing.length === 0) return undefined;
  return `reference tests against Apache Kafka ${KAFKA_VERSION} skipped: install ${missing.join(', ')} (Debian: apt-get install openjdk-17-jdk-headless maven)`;
}

function commandWorks(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

/** What the kit built: the classpath (Kafka's jars plus the compiled harness). */
export interface ReferenceBuild {
  readonly classpath: string;
  readonly directory: string;
}

function javaSources(): string[] {
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.java')) sources.push(path);
    }
  };
  walk(join(JAVA_ROOT, 'src'));
  return sources.sort();
}

function buildHash(sources: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [join(JAVA_ROOT, 'pom.xml'), ...sources]) {
    hash.update(relative(JAVA_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Resolves Kafka with Maven and compiles the harness, once per pom and source content. Safe to
 * call from several processes: the build happens in a private directory renamed into place.
 */
export function buildReference(log: (line: string) => void = () => {}): ReferenceBuild {
  const sources = javaSources();
  const directory = join(CACHE_ROOT, buildHash(sources));
  const classpathFile = join(directory, 'classpath.txt');
  if (existsSync(classpathFile)) return { classpath: readFileSync(classpathFile, 'utf8'), directory };

  mkdirSync(CACHE_ROOT, { recursive: true });
  const staging = mkdtempSync(join(CACHE_ROOT, 'building-'));
  try {
    log(`reference kit: resolving Apache Kafka ${KAFKA_VERSION} with Maven (the first run downloads about 80 MB into ~/.m2)`);
    const dependencies = join(staging, 'dependencies.txt');
    run('mvn', ['-q', '-B', '-f', join(JAVA_ROOT, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${dependencies}`], 600_000);
    const classes = join(staging, 'classes');
    log(`reference kit: compiling the Java harness (${sources.length} files)`);
    run('javac', ['-nowarn', '-d', classes, '-cp', readFileSync(dependencies, 'utf8'), ...sources], 300_000);
    const classpath = `${join(directory, 'classes')}:${readFileSync(dependencies, 'utf8').trim()}`;
    writeFileSync(join(staging, 'classpath.txt'), classpath);
    try {
      renameSync(staging, directory);
    } catch (error) {
      // Another process finished the same build first; its result is identical.
      if (!existsSync(classpathFile)) throw error;
    }
    return { classpath, directory };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], timeout: number): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`reference kit: ${command} ${args.slice(0, 4).join(' ')} … failed (exit ${result.status ?? result.signal}):\n${output}`);
  }
}

const QUIET_LOGGING = '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn';
/** JVM flags of the test harness: quick start-up (C1 only, serial GC), quiet logging. */
export const JVM_FLAGS = ['-Xss4m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', QUIET_LOGGING];
/**
 * JVM flags for measuring: the JVM's own defaults (full JIT, its chosen GC) and a 4 GiB heap —
 * Kafka Streams' test driver keeps every record a workload produces (changelogs included), which
 * for a million-record hopping count outgrows 1 GiB.
 */
export const BENCH_JVM_FLAGS = ['-Xmx4g', QUIET_LOGGING];

/** Runs a harness main class to completion and returns its stdout; a failure throws with stderr. */
export function runJava(build: ReferenceBuild, mainClass: string, args: readonly string[], options: { timeoutMs?: number; jvmFlags?: readonly string[] } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', [...(options.jvmFlags ?? JVM_FLAGS), '-cp', build.classpath, mainClass, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`java ${mainClass} failed (${timedOut ? `no answer within ${timeoutMs / 1000} s` : code ?? signal}):\n${stderr.trim().split('\n').slice(-40).join('\n')}`));
    });
  });
}

/** Starts a long-running harness main class (a Java client or Streams app); the caller stops it. */
export function spawnJava(build: ReferenceBuild, mainClass: string, args: readonly string[]): ChildProcess {
  return spawn('java', [...JVM_FLAGS, '-cp', build.classpath, mainClass, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A free TCP port on loopback (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A running single-node Apache Kafka broker in KRaft mode. */
export interface ReferenceKafka {
  /** The PLAINTEXT listener (also the inter-broker one). */
  readonly bootstrap: string;
  /** Every extra listener's address, by its name. */
  readonly listeners: Readonly<{ [name: string]: string }>;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** An extra listener: its name, Kafka's security protocol, and `listener.name.<name>.*` settings (without that prefix). */
export interface KafkaListener {
  readonly name: string;
  readonly protocol: 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  readonly properties?: Readonly<{ [key: string]: string }>;
}

/** What `startKafka` adds to its default single PLAINTEXT broker. */
export interface KafkaStartOptions {
  readonly listeners?: readonly KafkaListener[];
  /** Broker properties added to (or replacing) the defaults. */
  readonly properties?: Readonly<{ [key: string]: string }>;
  /** SCRAM users written into the metadata when the storage is formatted (`kafka-storage format --add-scram`). */
  readonly scramUsers?: ReadonlyArray<{ readonly mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; readonly name: string; readonly password: string }>;
}

/**
 * Starts Apache Kafka (broker and controller in one process) on loopback with its data in a fresh
 * temporary directory, and resolves when it accepts connections. Without options it has one
 * PLAINTEXT listener; `options` adds secured listeners, properties and SCRAM users.
 */
export async function startKafka(build: ReferenceBuild, options: KafkaStartOptions = {}): Promise<ReferenceKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-apache-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const extra: Array<KafkaListener & { port: number }> = [];
  for (const listener of options.listeners ?? []) extra.push({ ...listener, port: await freePort() });
  const listeners = extra.map((l) => `,${l.name}://127.0.0.1:${l.port}`).join('');
  const properties = join(dir, 'server.properties');
  const defaults: { [key: string]: string } = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}${listeners}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}${listeners}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${extra.map((l) => `,${l.name}:${l.protocol}`).join('')}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': join(dir, 'data'),
    'num.partitions': '1',
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '4',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'true',
    // Tests stamp records with small event times (1970): Kafka's seven-day retention, checked every
    // five minutes, would delete them under a test that runs long enough. Topics that test retention set their own.
    'log.retention.ms': '-1',
  };
  for (const listener of extra) {
    for (const [key, value] of Object.entries(listener.properties ?? {})) defaults[`listener.name.${listener.name.toLowerCase()}.${key}`] = value;
  }
  writeFileSync(properties, Object.entries({ ...defaults, ...options.properties }).map(([key, value]) => `${key}=${value}\n`).join(''));
  const scram = (options.scramUsers ?? []).flatMap((u) => ['--add-scram', `${u.mechanism}=[name=${u.name},password=${u.password}]`]);
  const clusterId = (await runJava(build, 'kafka.tools.StorageTool', ['random-uuid'])).trim().split('\n').pop()!;
  await runJava(build, 'kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', properties, ...scram]);
  const logFile = join(dir, 'broker.log');
  const child = spawn('java', ['-Xmx512m', ...JVM_FLAGS, '-cp', build.classpath, 'kafka.Kafka', properties], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    writeFileSync(logFile, output);
    rmSync(join(dir, 'data'), { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Apache Kafka did not start on port ${port}:\n${output.split('\n').slice(-30).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { bootstrap: `127.0.0.1:${port}`, listeners: Object.fromEntries(extra.map((l) => [l.name, `127.0.0.1:${l.port}`])), logFile, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
