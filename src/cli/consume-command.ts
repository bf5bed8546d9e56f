import { StreamsError } from '../common/index.ts';
import type { CommittedPosition } from '../client/index.ts';
import type { StoredRecord } from '../record/index.ts';
import { intOption, parseCommandArgs, topicOf } from './cli-args.ts';
import type { IsolationLevel } from './command-target.ts';
import { consumeAsMember } from './consume-group.ts';
import { emit, prepareRead, resumeAt, startOf } from './consume-reading.ts';
import { clientConfigHelp, consumerConfigOption, openTarget, targetHelp, targetOptions } from './open-target.ts';
import { serdeHelp, serdeOptions, serdesOf, type TextSerde } from './text-serdes.ts';

const usage = `usage: kstreams consume <topic> [options]

Prints the records of a topic, one per line, as Kafka's kafka-console-consumer does: from the
embedded log engine (--data-dir; through the running process that serves it, if any) or from a
Kafka-protocol cluster (--bootstrap-server). Without --follow it stops at the end of the topic.

options:
  --topic T               the topic (instead of the argument)
  --from-beginning        start at the earliest offset (the default, unless --group has offsets)
  --offset O              where to start: earliest, latest, or an offset number (with --partition)
  --from-timestamp T      start at the first record at or after T (ms since the epoch or ISO-8601)
  --partition N           read only partition N (default: every partition)
  --group G               read as a member of consumer group G, as kafka-console-consumer does:
                          consumers with the same group share the topic's partitions; each
                          starts where the group committed (else as above) and commits as it
                          reads (on a data directory nothing serves, the command is the only
                          member: every partition, committed when it stops)
  --max-messages N        stop after N records
  --follow                keep waiting for new records (stop with Ctrl-C, --max-messages or --timeout-ms)
  --timeout-ms N          with --follow: stop after N ms without a new record
  --isolation-level L     read_uncommitted (default) or read_committed: hide records of aborted
                          and still open transactions
  --print-key             print "key<TAB>value"
  --print-offset          prefix each line with "partition:offset<TAB>"
  --print-timestamp       prefix each line with the record's timestamp (ms) and a TAB
  --print-headers         print the headers as k:v,k:v (NO_HEADERS when none) and a TAB
  --format F              text (default) or json: one {"partition","offset","timestamp","key","value"}
                          object per line ("headers" too when the record has any); key and value
                          as the serdes show them in JSON (numbers, objects, strings)
${serdeHelp}
${targetHelp}
${clientConfigHelp('consumer.config')}
  -h, --help              show this help

example:
  kstreams consume user-totals --print-key --value-serde long
  kstreams consume counts --key-serde windowed-string --window-size-ms 60000 --value-serde long --print-key`;

/** How often a --follow loop over several partitions looks at each (ms). */
const FOLLOW_WAIT_MS = 500;

export async function consumeCommand(argv: string[], out: (line: string) => void, signal?: AbortSignal): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('consume', argv, {
    ...targetOptions, ...consumerConfigOption, ...serdeOptions, topic: { type: 'string' }, partition: { type: 'string' }, offset: { type: 'string' },
    'from-beginning': { type: 'boolean' }, 'from-timestamp': { type: 'string' }, group: { type: 'string' },
    'max-messages': { type: 'string' }, follow: { type: 'boolean' }, 'timeout-ms': { type: 'string' }, 'isolation-level': { type: 'string' },
    'print-key': { type: 'boolean' }, 'print-offset': { type: 'boolean' }, 'print-timestamp': { type: 'boolean' }, 'print-headers': { type: 'boolean' },
    format: { type: 'string' },
  }, { min: 0, max: 1 });
  if (help) {
    out(usage);
    return 0;
  }
  const topic = topicOf('consume', positionals, values.topic);
  const max = intOption('consume', 'max-messages', values['max-messages'], Number.MAX_SAFE_INTEGER, 1);
  const start = startOf(values);
  const isolationLevel = (values['isolation-level'] as string | undefined) ?? 'read_uncommitted';
  if (isolationLevel !== 'read_uncommitted' && isolationLevel !== 'read_committed') {
    throw new StreamsError('INVALID_ARGUMENT', `--isolation-level must be read_uncommitted or read_committed, got '${isolationLevel}'`);
  }
  const follow = values.follow === true;
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : intOption('consume', 'timeout-ms', values['timeout-ms'], 0, 1);
  if (timeoutMs !== undefined && !follow) throw new StreamsError('INVALID_ARGUMENT', '--timeout-ms only applies with --follow');
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new StreamsError('INVALID_ARGUMENT', `--format must be text or json, got '${String(format)}'`);
  const group = values.group as string | undefined;
  const onlyPartition = values.partition === undefined ? undefined : intOption('consume', 'partition', values.partition, 0);
  if (group !== undefined && onlyPartition !== undefined) throw new StreamsError('INVALID_ARGUMENT', '--group and --partition exclude each other: a group reads every partition');
  if (start.kind === 'offset' && onlyPartition === undefined) throw new StreamsError('INVALID_ARGUMENT', `--offset ${start.offset} needs --partition N`);
  const serdes = serdesOf('consume', values);
  const print = printer(out, topic, format, serdes, {
    key: values['print-key'] === true, offset: values['print-offset'] === true, timestamp: values['print-timestamp'] === true, headers: values['print-headers'] === true,
  });

  const target = await openTarget(values);
  const positions = new Map<number, number>();
  try {
    if (group !== undefined && target.joinGroup !== undefined) {
      const session = await target.joinGroup(group, topic);
      await consumeAsMember(session, {
        target, group, topic, start, max, follow, timeoutMs, isolationLevel: isolationLevel as IsolationLevel, signal, serdes, print,
      });
      return 0;
    }
    const count = await target.partitionCount(topic);
    if (onlyPartition !== undefined && onlyPartition >= count) {
      throw new StreamsError('PARTITION_OUT_OF_RANGE', `--partition ${onlyPartition}: topic "${topic}" has ${count} partition(s)`);
    }
    const partitions = onlyPartition === undefined ? Array.from({ length: count }, (_, p) => p) : [onlyPartition];
    const committed = group === undefined ? [] : (await target.committedOffsets(group)).filter((c) => c.topic === topic);
    for (const partition of partitions) {
      positions.set(partition, await resumeAt(target, topic, partition, committed.find((c) => c.partition === partition)?.offset, start));
    }
    const read = { printed: 0 };
    const stopped = () => signal?.aborted === true;
    const fetchOptions = { isolationLevel: isolationLevel as IsolationLevel, ...(signal === undefined ? {} : { signal }) };
    if (!follow) {
      for (const partition of partitions) {
        const end = (await target.offsets(topic, partition, fetchOptions.isolationLevel)).latest;
        while (read.printed < max && !stopped() && positions.get(partition)! < end) {
          const fetched = await target.fetch(topic, partition, positions.get(partition)!, { ...fetchOptions, maxWaitMs: 0 });
          if (fetched.nextOffset === positions.get(partition)) break;
          await prepareRead(topic, serdes, fetched.records);
          positions.set(partition, emit(fetched.records, partition, end, max, read, print) ?? fetched.nextOffset);
        }
      }
    } else {
      let lastRecordAt = Date.now();
      const waitMs = Math.max(50, Math.floor(FOLLOW_WAIT_MS / partitions.length));
      while (read.printed < max && !stopped() && (timeoutMs === undefined || Date.now() - lastRecordAt < timeoutMs)) {
        for (const partition of partitions) {
          if (read.printed >= max || stopped()) break;
          const fetched = await target.fetch(topic, partition, positions.get(partition)!, { ...fetchOptions, maxWaitMs: waitMs });
          if (fetched.records.length > 0) lastRecordAt = Date.now();
          await prepareRead(topic, serdes, fetched.records);
          positions.set(partition, emit(fetched.records, partition, Number.MAX_SAFE_INTEGER, max, read, print) ?? fetched.nextOffset);
        }
      }
    }
    if (group !== undefined) {
      const commit: CommittedPosition[] = [...positions].map(([partition, offset]) => ({ topic, partition, offset }));
      await target.commitOffsets(group, commit);
    }
  } finally {
    await target.close();
  }
  return 0;
}

function printer(out: (line: string) => void, topic: string, format: string, serdes: { key: TextSerde; value: TextSerde }, show: { key: boolean; offset: boolean; timestamp: boolean; headers: boolean }) {
  return (partition: number, record: StoredRecord): void => {
    const decode = <T>(serde: TextSerde, bytes: Buffer, how: (bytes: Buffer) => T, what: string): T => {
      try {
        return how.call(serde, bytes);
      } catch (error) {
        if (!(error instanceof StreamsError)) throw error;
        throw new StreamsError('DESERIALIZATION_ERROR', `the ${what} of ${topic} partition ${partition} offset ${record.offset}: ${error.message}`, { cause: error, location: { topic, partition, offset: record.offset } });
      }
    };
    if (format === 'json') {
      const headers = record.headers.length === 0 ? {} : { headers: Object.fromEntries(record.headers.map((h) => [h.key, h.value === null ? null : h.value.toString('utf8')])) };
      out(JSON.stringify({
        partition, offset: record.offset, timestamp: record.timestamp, ...headers,
        key: record.key === null ? null : decode(serdes.key, record.key, serdes.key.toJson, 'key'),
        value: record.value === null ? null : decode(serdes.value, record.value, serdes.value.toJson, 'value'),
      }));
      return;
    }
    const position = show.offset ? `${partition}:${record.offset}\t` : '';
    const time = show.timestamp ? `${record.timestamp}\t` : '';
    const headers = !show.headers ? '' : `${record.headers.length === 0 ? 'NO_HEADERS' : record.headers.map((h) => `${h.key}:${h.value === null ? 'null' : h.value.toString('utf8')}`).join(',')}\t`;
    const key = !show.key ? '' : `${record.key === null ? 'null' : decode(serdes.key, record.key, serdes.key.format, 'key')}\t`;
    const value = record.value === null ? 'null' : decode(serdes.value, record.value, serdes.value.format, 'value');
    out(`${position}${time}${headers}${key}${value}`);
  };
}
