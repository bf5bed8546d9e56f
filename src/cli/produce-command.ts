import { createInterface } from 'node:readline';
import { StreamsError } from '../common/index.ts';
import { LogEngine, type ProduceRecord } from '../log/index.ts';
import { DEFAULT_DATA_DIR, dataDirHelp, dataDirOption, intOption, parseCommandArgs } from './cli-args.ts';

const usage = `usage: kstreams produce <topic> [options] < lines

Appends one record per line of standard input to a topic of the embedded log engine (UTF-8).

options:
  --key-separator S   split each line at the first S into key and value (default: no key)
  --partition N       write every record to partition N (default: Kafka's partitioner)
  --batch N           records per append (default 1000)
${dataDirHelp}
  -h, --help          show this help

example:
  printf 'alice:5\\nbob:7\\n' | kstreams produce orders --key-separator :`;

export async function produceCommand(argv: string[], out: (line: string) => void, input: NodeJS.ReadableStream): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('produce', argv, {
    ...dataDirOption, 'key-separator': { type: 'string' }, partition: { type: 'string' }, batch: { type: 'string' },
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
  const log = await LogEngine.open({ dataDir: (values['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR, retentionCheckIntervalMs: 0 });
  let produced = 0;
  try {
    let batch: ProduceRecord[] = [];
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      let key: Buffer | null = null;
      let value = line;
      if (separator !== undefined) {
        const at = line.indexOf(separator);
        if (at < 0) throw new StreamsError('INVALID_ARGUMENT', `line ${produced + batch.length + 1} has no key separator '${separator}': ${line.slice(0, 80)}`);
        key = Buffer.from(line.slice(0, at));
        value = line.slice(at + separator.length);
      }
      batch.push({ key, value: Buffer.from(value), timestamp: Date.now(), headers: [], ...(partition === undefined ? {} : { partition }) });
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
