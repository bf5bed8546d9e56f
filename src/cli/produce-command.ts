import { createInterface } from 'node:readline';
import type { ClusterRecord } from '../client/index.ts';
import { StreamsError } from '../common/index.ts';
import type { RecordHeader } from '../record/index.ts';
import { intOption, parseCommandArgs, topicOf } from './cli-args.ts';
import { clientConfigHelp, producerConfigOption, openTarget, targetHelp, targetOptions } from './open-target.ts';
import { serdeHelp, serdeOptions, serdesOf, type TextSerde } from './text-serdes.ts';

const usage = `usage: kstreams produce <topic> [options] < lines

Appends one record per line of standard input to a topic, as Kafka's kafka-console-producer does:
on the embedded log engine (--data-dir; through the running process that serves it, if any) or
on a Kafka-protocol cluster (--bootstrap-server).

options:
  --topic T               the topic (instead of the argument)
  --key-separator S       split each line at the first S into key and value (default: no key)
  --format F              text (default: each line is a value) or json: each line is
                          {"key": …, "value": …, "timestamp": ms, "partition": n, "headers": {"k": "v"}}
                          (all but "value" optional; key and value as the serdes read JSON)
  --header K=V            a header on every record (repeatable)
  --partition N           write every record to partition N (default: Kafka's partitioner)
  --batch N               records per request (default 1000)
${serdeHelp}
${targetHelp}
${clientConfigHelp('producer.config')}
  -h, --help              show this help

example:
  printf 'alice:{"amountCents":500}\\n' | kstreams produce orders --key-separator : --value-serde json
  echo 'alice:42' | kstreams produce totals --key-separator : --value-serde long --bootstrap-server 127.0.0.1:9092`;

interface ParsedLine {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  partition?: number;
  headers: RecordHeader[];
}

export async function produceCommand(argv: string[], out: (line: string) => void, input: NodeJS.ReadableStream): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('produce', argv, {
    ...targetOptions, ...producerConfigOption, ...serdeOptions, topic: { type: 'string' }, 'key-separator': { type: 'string' }, partition: { type: 'string' },
    batch: { type: 'string' }, format: { type: 'string' }, header: { type: 'string', multiple: true },
  }, { min: 0, max: 1 });
  if (help) {
    out(usage);
    return 0;
  }
  const topic = topicOf('produce', positionals, values.topic);
  const separator = values['key-separator'] as string | undefined;
  if (separator === '') throw new StreamsError('INVALID_ARGUMENT', '--key-separator cannot be empty');
  const partition = values.partition === undefined ? undefined : intOption('produce', 'partition', values.partition, 0);
  const batchSize = intOption('produce', 'batch', values.batch, 1000, 1);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new StreamsError('INVALID_ARGUMENT', `--format must be text or json, got '${String(format)}'`);
  const headers = ((values.header as string[] | undefined) ?? []).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new StreamsError('INVALID_ARGUMENT', `--header expects key=value, got '${pair}'`);
    return { key: pair.slice(0, eq), value: Buffer.from(pair.slice(eq + 1), 'utf8') };
  });
  const serdes = serdesOf('produce', values);
  const target = await openTarget(values);
  let produced = 0;
  try {
    const count = await target.partitionCount(topic);
    if (partition !== undefined && partition >= count) {
      throw new StreamsError('PARTITION_OUT_OF_RANGE', `--partition ${partition}: topic "${topic}" has ${count} partition(s)`);
    }
    await serdes.key.prepareWrite?.(topic);
    await serdes.value.prepareWrite?.(topic);
    let batch: ClusterRecord[] = [];
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      const lineNumber = produced + batch.length + 1;
      let record: ParsedLine;
      try {
        record = format === 'json' ? jsonLine(line, serdes) : textLine(line, separator, serdes);
      } catch (error) {
        if (error instanceof StreamsError) throw new StreamsError('INVALID_ARGUMENT', `line ${lineNumber}: ${error.message}`, { cause: error });
        throw error;
      }
      const at = record.partition ?? partition;
      if (at !== undefined && at >= count) throw new StreamsError('PARTITION_OUT_OF_RANGE', `line ${lineNumber}: partition ${at}, but topic "${topic}" has ${count}`);
      batch.push({ key: record.key, value: record.value, timestamp: record.timestamp, headers: [...headers, ...record.headers], ...(at === undefined ? {} : { partition: at }) });
      if (batch.length >= batchSize) {
        await target.produce(topic, batch);
        produced += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      await target.produce(topic, batch);
      produced += batch.length;
    }
  } finally {
    await target.close();
  }
  out(`produced ${produced} record(s) to ${topic}`);
  return 0;
}

function textLine(line: string, separator: string | undefined, serdes: { key: TextSerde; value: TextSerde }): ParsedLine {
  if (separator === undefined) return { key: null, value: serdes.value.parse(line), timestamp: Date.now(), headers: [] };
  const at = line.indexOf(separator);
  if (at < 0) throw new StreamsError('INVALID_ARGUMENT', `no key separator '${separator}' in: ${line.slice(0, 80)}`);
  return { key: serdes.key.parse(line.slice(0, at)), value: serdes.value.parse(line.slice(at + separator.length)), timestamp: Date.now(), headers: [] };
}

function jsonLine(line: string, serdes: { key: TextSerde; value: TextSerde }): ParsedLine {
  let parsed: { key?: unknown; value?: unknown; timestamp?: unknown; partition?: unknown; headers?: unknown };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    throw new StreamsError('INVALID_ARGUMENT', `not a JSON object: ${line.slice(0, 80)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || !('value' in parsed)) {
    throw new StreamsError('INVALID_ARGUMENT', `needs a "value" field: ${line.slice(0, 80)}`);
  }
  const timestamp = parsed.timestamp ?? Date.now();
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new StreamsError('INVALID_ARGUMENT', `"timestamp" must be milliseconds since the epoch, got ${JSON.stringify(timestamp)}`);
  }
  if (parsed.partition !== undefined && (typeof parsed.partition !== 'number' || !Number.isSafeInteger(parsed.partition) || parsed.partition < 0)) {
    throw new StreamsError('INVALID_ARGUMENT', `"partition" must be a partition number, got ${JSON.stringify(parsed.partition)}`);
  }
  const headers: RecordHeader[] = [];
  if (parsed.headers !== undefined) {
    if (parsed.headers === null || typeof parsed.headers !== 'object' || Array.isArray(parsed.headers)) {
      throw new StreamsError('INVALID_ARGUMENT', `"headers" must be an object of strings, got ${JSON.stringify(parsed.headers)}`);
    }
    for (const [key, value] of Object.entries(parsed.headers as { [key: string]: unknown })) {
      if (value !== null && typeof value !== 'string') throw new StreamsError('INVALID_ARGUMENT', `header "${key}" must be a string or null, got ${JSON.stringify(value)}`);
      headers.push({ key, value: value === null ? null : Buffer.from(value, 'utf8') });
    }
  }
  const bytes = (serde: TextSerde, value: unknown) => (value === undefined || value === null ? null : serde.fromJson(value));
  return {
    key: bytes(serdes.key, parsed.key), value: bytes(serdes.value, parsed.value), timestamp, headers,
    ...(parsed.partition === undefined ? {} : { partition: parsed.partition as number }),
  };
}
