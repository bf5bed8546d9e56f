import { StreamsError } from '../common/index.ts';
import { LogEngine } from '../log/index.ts';
import { DEFAULT_DATA_DIR, dataDirHelp, dataDirOption, intOption, parseCommandArgs } from './cli-args.ts';

const usage = `usage: kstreams consume <topic> [options]

Prints the records of a topic of the embedded log engine, one per line (values as UTF-8).

options:
  --partition N       read only partition N (default: every partition, one after another)
  --offset O          where to start: earliest (default), latest, or an offset number
  --max-messages N    stop after N records
  --print-key         print "key<TAB>value"
  --print-offset      prefix each line with "partition:offset<TAB>"
  --print-timestamp   prefix each line with the record's timestamp (ms) and a TAB
  --format F          text (default) or json: one {"partition","offset","timestamp","key","value"}
                      object per line, key and value as UTF-8 strings (null when absent)
  --follow            keep waiting for new records (only with --partition); stop with Ctrl-C
${dataDirHelp}
  -h, --help          show this help`;

export async function consumeCommand(argv: string[], out: (line: string) => void, signal?: AbortSignal): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('consume', argv, {
    ...dataDirOption,
    partition: { type: 'string' },
    offset: { type: 'string' },
    'max-messages': { type: 'string' },
    'print-key': { type: 'boolean' },
    'print-offset': { type: 'boolean' },
    'print-timestamp': { type: 'boolean' },
    format: { type: 'string' },
    follow: { type: 'boolean' },
  }, { min: 1, max: 1 });
  if (help) {
    out(usage);
    return 0;
  }
  const topic = positionals[0]!;
  const max = intOption('consume', 'max-messages', values['max-messages'], Number.MAX_SAFE_INTEGER, 1);
  const from = (values.offset as string | undefined) ?? 'earliest';
  if (from !== 'earliest' && from !== 'latest' && !/^\d+$/.test(from)) {
    throw new StreamsError('INVALID_ARGUMENT', `--offset must be earliest, latest or a number, got '${from}'`);
  }
  const follow = values.follow === true;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new StreamsError('INVALID_ARGUMENT', `--format must be text or json, got '${String(format)}'`);
  if (follow && values.partition === undefined) throw new StreamsError('INVALID_ARGUMENT', '--follow needs --partition N');
  const log = await LogEngine.open({ dataDir: (values['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR, retentionCheckIntervalMs: 0 });
  try {
    const count = log.partitionCount(topic);
    const partitions = values.partition === undefined
      ? Array.from({ length: count }, (_, p) => p)
      : [intOption('consume', 'partition', values.partition, 0)];
    let printed = 0;
    for (const partition of partitions) {
      const { earliest, latest } = await log.listOffsets(topic, partition);
      let offset = from === 'earliest' ? earliest : from === 'latest' ? latest : Number(from);
      while (printed < max && signal?.aborted !== true) {
        if (!follow && offset >= (await log.listOffsets(topic, partition)).latest) break;
        const records = await log.fetch(topic, partition, offset, follow ? { maxWaitMs: 1000, ...(signal ? { signal } : {}) } : {});
        for (const record of records) {
          if (printed >= max) break;
          if (format === 'json') {
            out(JSON.stringify({
              partition, offset: record.offset, timestamp: record.timestamp,
              key: record.key === null ? null : record.key.toString('utf8'), value: record.value === null ? null : record.value.toString('utf8'),
            }));
          } else {
            const value = record.value === null ? 'null' : record.value.toString('utf8');
            const key = values['print-key'] === true ? `${record.key === null ? 'null' : record.key.toString('utf8')}\t` : '';
            const position = values['print-offset'] === true ? `${partition}:${record.offset}\t` : '';
            const time = values['print-timestamp'] === true ? `${record.timestamp}\t` : '';
            out(`${position}${time}${key}${value}`);
          }
          printed++;
        }
        if (records.length > 0) offset = records[records.length - 1]!.offset + 1;
      }
    }
  } finally {
    await log.close();
  }
  return 0;
}
