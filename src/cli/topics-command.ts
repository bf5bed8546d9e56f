import { StreamsError } from '../common/index.ts';
import { intOption, parseCommandArgs } from './cli-args.ts';
import { openTarget, targetHelp, targetOptions } from './open-target.ts';

const usage = `usage: kstreams topics <list|create|describe|delete> [topic] [options]

Manages topics: of the embedded log engine (--data-dir), or of a Kafka-protocol cluster
(--bootstrap-server), as Kafka's kafka-topics tool does.

  kstreams topics list
  kstreams topics create <topic> [--partitions N] [--replication-factor N] [--config key=value ...]
  kstreams topics describe <topic>
  kstreams topics delete <topic>
  (Kafka's spelling works too: kstreams topics --create --topic <topic> --partitions N …)

options:
  --partitions N          partitions of a new topic (default 1)
  --replication-factor N  replicas of a new topic on a cluster (default: the cluster's default)
  --config K=V            a topic config, e.g. cleanup.policy=compact or retention.ms=3600000 (repeatable)
${targetHelp}
  -h, --help              show this help

example:
  kstreams topics create orders --partitions 4 --bootstrap-server 127.0.0.1:9092`;

export async function topicsCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('topics', argv, {
    ...targetOptions, partitions: { type: 'string' }, 'replication-factor': { type: 'string' }, config: { type: 'string', multiple: true },
    topic: { type: 'string' }, list: { type: 'boolean' }, create: { type: 'boolean' }, describe: { type: 'boolean' }, delete: { type: 'boolean' },
  }, { min: 0, max: 2 });
  if (help) {
    out(usage);
    return 0;
  }
  const { action, topic } = actionOf(positionals, values);
  if (!['list', 'create', 'describe', 'delete'].includes(action)) {
    throw new StreamsError('INVALID_ARGUMENT', `unknown topics action '${action}'; use list, create, describe or delete (kstreams topics --help)`);
  }
  if (action !== 'list' && topic === undefined) throw new StreamsError('INVALID_ARGUMENT', `\`kstreams topics ${action}\` needs a topic name`);
  const partitions = intOption('topics', 'partitions', values.partitions, 1, 1);
  const replicationFactor = values['replication-factor'] === undefined ? undefined : intOption('topics', 'replication-factor', values['replication-factor'], 1, 1);
  const config = parseConfigPairs((values.config as string[] | undefined) ?? []);
  const target = await openTarget(values);
  try {
    if (action === 'list') {
      for (const name of await target.listTopics()) out(name);
    } else if (action === 'create') {
      await target.createTopic(topic!, { partitions, configs: config, ...(replicationFactor === undefined ? {} : { replicationFactor }) });
      out(`created topic ${topic} with ${partitions} partition(s)`);
    } else if (action === 'delete') {
      await target.deleteTopic(topic!);
      out(`deleted topic ${topic}`);
    } else {
      const description = await target.describeTopic(topic!);
      out(`Topic: ${description.name}\tPartitionCount: ${description.partitions.length}\tConfigs: ${description.configs.map(([k, v]) => `${k}=${v}`).join(',')}`);
      for (const p of description.partitions) {
        out(`\tTopic: ${description.name}\tPartition: ${p.partition}\tLogStartOffset: ${p.logStartOffset}\tHighWatermark: ${p.highWatermark}`);
      }
    }
  } finally {
    await target.close();
  }
  return 0;
}

function parseConfigPairs(pairs: string[]): { [key: string]: string } {
  const config: { [key: string]: string } = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new StreamsError('INVALID_ARGUMENT', `--config expects key=value, got '${pair}'; run \`kstreams topics --help\``);
    config[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return config;
}

const ACTIONS = ['list', 'create', 'describe', 'delete'] as const;

/** The action and topic, as arguments (`create orders`) or in kafka-topics' flags (`--create --topic orders`). */
function actionOf(positionals: string[], values: { [flag: string]: unknown }): { action: string; topic: string | undefined } {
  const flagged = ACTIONS.filter((action) => values[action] === true);
  if (flagged.length > 1) throw new StreamsError('INVALID_ARGUMENT', `${flagged.map((a) => `--${a}`).join(' and ')} exclude each other: pick one action`);
  const action = flagged[0] ?? positionals[0];
  const topic = flagged.length === 1 ? positionals[0] : positionals[1];
  const extra = positionals.length - (flagged.length === 1 ? 0 : 1) - (values.topic === undefined ? 1 : 0);
  if (action === undefined || extra > 0 || (topic !== undefined && values.topic !== undefined)) {
    throw new StreamsError('INVALID_ARGUMENT', 'usage: kstreams topics <list|create|describe|delete> [topic]; run `kstreams topics --help`');
  }
  return { action, topic: topic ?? (values.topic as string | undefined) };
}
