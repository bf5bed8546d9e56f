import { StreamsError } from '../common/index.ts';
import { LogEngine, toConfigEntries, type TopicConfigInput } from '../log/index.ts';
import { DEFAULT_DATA_DIR, dataDirHelp, dataDirOption, intOption, parseCommandArgs } from './cli-args.ts';

const usage = `usage: kstreams topics <list|create|describe|delete> [topic] [options]

Manages topics of the embedded log engine.

  kstreams topics list
  kstreams topics create <topic> [--partitions N] [--config key=value ...]
  kstreams topics describe <topic>
  kstreams topics delete <topic>

options:
  --partitions N   partitions of a new topic (default 1)
  --config K=V     a topic config, e.g. cleanup.policy=compact or retention.ms=3600000 (repeatable)
${dataDirHelp}
  -h, --help       show this help`;

export async function topicsCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('topics', argv, { ...dataDirOption, partitions: { type: 'string' }, config: { type: 'string', multiple: true } }, { min: 1, max: 2 });
  if (help) {
    out(usage);
    return 0;
  }
  const [action, topic] = positionals as [string, string | undefined];
  if (!['list', 'create', 'describe', 'delete'].includes(action)) {
    throw new StreamsError('INVALID_ARGUMENT', `unknown topics action '${action}'; use list, create, describe or delete (kstreams topics --help)`);
  }
  if (action !== 'list' && topic === undefined) throw new StreamsError('INVALID_ARGUMENT', `\`kstreams topics ${action}\` needs a topic name`);
  const partitions = intOption('topics', 'partitions', values.partitions, 1, 1);
  const config = parseConfigPairs((values.config as string[] | undefined) ?? []);
  const log = await LogEngine.open({ dataDir: (values['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR, retentionCheckIntervalMs: 0 });
  try {
    if (action === 'list') {
      for (const name of await log.listTopics()) out(name);
    } else if (action === 'create') {
      await log.createTopic(topic!, { partitions, config });
      out(`created topic ${topic} with ${partitions} partition(s)`);
    } else if (action === 'delete') {
      await log.deleteTopic(topic!);
      out(`deleted topic ${topic}`);
    } else {
      const description = await log.describeTopic(topic!);
      out(`Topic: ${description.name}\tPartitionCount: ${description.partitions.length}`);
      out(`Configs: ${toConfigEntries(description.config).map(([k, v]) => `${k}=${v}`).join(',')}`);
      for (const p of description.partitions) {
        out(`\tPartition: ${p.partition}\tLogStartOffset: ${p.logStartOffset}\tHighWatermark: ${p.highWatermark}\tSegments: ${p.segments}\tBytes: ${p.sizeBytes}`);
      }
    }
  } finally {
    await log.close();
  }
  return 0;
}

function parseConfigPairs(pairs: string[]): TopicConfigInput {
  const config: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new StreamsError('INVALID_ARGUMENT', `--config expects key=value, got '${pair}'`);
    config[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return config;
}
