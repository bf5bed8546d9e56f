import { createInterface } from 'node:readline';
import { StreamsError } from '../common/index.ts';
import { LogEngine, type ProduceRecord } from '../log/index.ts';
import { DEFAULT_DATA_DIR, dataDirHelp, dataDirOption, intOption, parseCommandArgs } from './cli-args.ts';

const usage = `usage: kstreams produce <topic> [options] < lines

Appends one record per line of standard input to a topic of the embedded log engine (UTF-8).

options:
  --key-separator S   split each line at the first S into key and value (default: no key)
  --format F          text (default: each line is a value) or json: each line is
                      {"key": …, "value": …, "timestamp": ms} (strings are written as they are,
                      other JSON values as JSON text; key and timestamp may be left out)
  --partition N       write every record to partition N (default: Kafka's partitioner)
  --batch N           records per append (default 1000)
${dataDirHelp}
  -h, --help          show this help

example:
  printf 'alice:5\\nbob:7\\n' | kstreams produce orders --key-separator :
  echo '{"key":"alice","value":{"amount":5},"timestamp":1700000000000}' | kstreams produce orders --format json`;

export async function produceCommand(argv: string[], out: (line: string) => void, input: NodeJS.ReadableStream): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('produce', argv, {
    ...dataDirOption, 'key-separator': { type: 'string' }, partition: { type: 'string' }, batch: { type: 'string' }, format: { type: 'string' },
  }, { min: 1, max: 1 });
  if (help) {
    out(usage);
    return 0;
  }
  const topic = positionals[0]!;
  const separator = values['key-separator'] as string | undefined;
  if (separator === '') throw new StreamsError('INVALID_ARGUMENT', '--key-separator cannot be empty');
  const partition = values.partition === undefined ? undefined : intOption('produce', 'partition', values.partition, 0);
  const batchSize = intOption('produce', 'batch', values.batch, 1000, 1);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new StreamsError('INVALID_ARGUMENT', `--format must be text or json, got '${String(format)}'`);
  const log = await LogEngine.open({ dataDir: (values['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR, retentionCheckIntervalMs: 0 });
  let produced = 0;
  try {
    let batch: ProduceRecord[] = [];
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      const lineNumber = produced + batch.length + 1;
      const record = format === 'json' ? jsonLine(line, lineNumber) : textLine(line, lineNumber, separator);
      batch.push({ ...record, headers: [], ...(partition === undefined ? {} : { partition }) });
      if (batch.length >= batchSize) {
        await log.produce(topic, batch);
        produced += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      await log.produce(topic, batch);
      produced += batch.length;
    }
  } finally {
    await log.close();
  }
  out(`produced ${produced} record(s) to ${topic}`);
  return 0;
}

function textLine(line: string, lineNumber: number, separator: string | undefined): { key: Buffer | null; value: Buffer; timestamp: number } {
  if (separator === undefined) return { key: null, value: Buffer.from(line), timestamp: Date.now() };
  const at = line.indexOf(separator);
  if (at < 0) throw new StreamsError('INVALID_ARGUMENT', `line ${lineNumber} has no key separator '${separator}': ${line.slice(0, 80)}`);
  return { key: Buffer.from(line.slice(0, at)), value: Buffer.from(line.slice(at + separator.length)), timestamp: Date.now() };
}

function jsonLine(line: string, lineNumber: number): { key: Buffer | null; value: Buffer | null; timestamp: number } {
  let parsed: { key?: unknown; value?: unknown; timestamp?: unknown };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    throw new StreamsError('INVALID_ARGUMENT', `line ${lineNumber} is not a JSON object: ${line.slice(0, 80)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || !('value' in parsed)) {
    throw new StreamsError('INVALID_ARGUMENT', `line ${lineNumber} needs a "value" field: ${line.slice(0, 80)}`);
  }
  const timestamp = parsed.timestamp ?? Date.now();
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new StreamsError('INVALID_ARGUMENT', `line ${lineNumber}: "timestamp" must be milliseconds since the epoch, got ${JSON.stringify(timestamp)}`);
  }
  return { key: bytesOf(parsed.key), value: bytesOf(parsed.value), timestamp };
}

function bytesOf(value: unknown): Buffer | null {
  if (value === undefined || value === null) return null;
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}
