import { rmSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommittedPosition } from '../client/index.ts';
import { StreamsError } from '../common/index.ts';
import { intOption, parseCommandArgs } from './cli-args.ts';
import type { CommandTarget } from './command-target.ts';
import { openTarget, targetHelp, targetOptions } from './open-target.ts';
import { parseTimestamp } from './timestamps.ts';

const usage = `usage: kstreams reset <application.id> [options]

Resets a streams application so it processes its input again from the start, as Kafka's
kafka-streams-application-reset tool does: sets the application's committed offsets on its input
topics (to the earliest offset unless told otherwise), deletes its internal topics
(<application.id>-…-repartition, -changelog, foreign-key subscription topics) and its local state.
The application must not be running.

options:
  --input-topics A,B      input topics to reset (default: every topic the application committed
                          offsets on, except its internal topics)
  --to-earliest           reset to the earliest offset (the default)
  --to-latest             reset to the latest offset (skip what is there)
  --to-datetime T         reset to the first record at or after T (ISO-8601, or ms since the epoch)
  --to-offset N           reset to offset N (clamped to what each partition holds)
  --state-dir DIR         where the application's local state lives (default ./kstreams-state);
                          DIR/<application.id> is deleted
  --dry-run               print what would be done and change nothing
${targetHelp}
  -h, --help              show this help

example:
  kstreams reset user-spending --dry-run
  kstreams reset user-spending --input-topics orders --to-datetime 2024-05-01T00:00:00Z --bootstrap-server 127.0.0.1:9092`;

/** Kafka Streams' internal topic names, as its reset tool recognises them. */
export function isInternalTopic(applicationId: string, topic: string): boolean {
  return topic.startsWith(`${applicationId}-`) && (
    topic.endsWith('-changelog') || topic.endsWith('-repartition') ||
    topic.endsWith('-subscription-registration-topic') || topic.endsWith('-subscription-response-topic') ||
    /-KTABLE-FK-JOIN-SUBSCRIPTION-(REGISTRATION|RESPONSE)-\d+-topic$/.test(topic)
  );
}

type ResetTo = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'datetime'; timestamp: number } | { kind: 'offset'; offset: number };

export async function resetCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('reset', argv, {
    ...targetOptions, 'application-id': { type: 'string' }, 'input-topics': { type: 'string' }, 'to-earliest': { type: 'boolean' },
    'to-latest': { type: 'boolean' }, 'to-datetime': { type: 'string' }, 'to-offset': { type: 'string' }, 'state-dir': { type: 'string' }, 'dry-run': { type: 'boolean' },
  }, { min: 0, max: 1 });
  if (help) {
    out(usage);
    return 0;
  }
  const applicationId = positionals[0] ?? (values['application-id'] as string | undefined);
  if (applicationId === undefined || (positionals[0] !== undefined && values['application-id'] !== undefined)) {
    throw new StreamsError('INVALID_ARGUMENT', '`kstreams reset` takes one application id: as its argument or as --application-id; run `kstreams reset --help`');
  }
  const to = resetTo(values);
  const dryRun = values['dry-run'] === true;
  const inputFlag = values['input-topics'] as string | undefined;
  const givenInputs = inputFlag === undefined ? undefined : inputFlag.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (givenInputs !== undefined && givenInputs.length === 0) throw new StreamsError('INVALID_ARGUMENT', '--input-topics needs at least one topic name');
  const stateDir = join((values['state-dir'] as string | undefined) ?? './kstreams-state', applicationId);
  const prefix = dryRun ? '(dry run) ' : '';
  const target = await openTarget(values);
  try {
    const members = await target.groupMembers(applicationId);
    if (members.length > 0) {
      throw new StreamsError('ILLEGAL_STATE', `application "${applicationId}" is running at ${target.where} (${members.length} member(s) of its group); stop every instance before resetting it`);
    }
    const topics = await target.listTopics();
    const internal = topics.filter((topic) => isInternalTopic(applicationId, topic));
    const committed = await target.committedOffsets(applicationId);
    const inputs = givenInputs ?? [...new Set(committed.map((c) => c.topic))].filter((topic) => !isInternalTopic(applicationId, topic) && topics.includes(topic)).sort();
    for (const topic of inputs) if (!topics.includes(topic)) throw new StreamsError('UNKNOWN_TOPIC', `input topic "${topic}" does not exist at ${target.where}`, { location: { topic } });

    const positions = await resetPositions(target, inputs, to);
    out(inputs.length === 0
      ? `${prefix}no input topics to reset: group "${applicationId}" has no committed offsets (name them with --input-topics)`
      : `${prefix}resetting the offsets of group "${applicationId}" on input topics ${inputs.join(', ')}:`);
    for (const p of positions) out(`${prefix}  Topic: ${p.topic}\tPartition: ${p.partition}\tOffset: ${p.offset}`);
    // Offsets on internal topics start over with the topics themselves.
    const internalPositions = committed.filter((c) => internal.includes(c.topic)).map((c) => ({ ...c, offset: 0 }));
    if (!dryRun && positions.length + internalPositions.length > 0) await target.commitOffsets(applicationId, [...positions, ...internalPositions]);

    out(internal.length === 0 ? `${prefix}no internal topics to delete` : `${prefix}deleting internal topics: ${internal.join(', ')}`);
    if (!dryRun) for (const topic of internal) await target.deleteTopic(topic);

    const stateExists = existsSync(stateDir);
    out(stateExists ? `${prefix}deleting local state ${resolve(stateDir)}` : `${prefix}no local state at ${resolve(stateDir)}`);
    if (!dryRun && stateExists) rmSync(stateDir, { recursive: true, force: true });
    out(dryRun ? '(dry run) nothing was changed' : `reset application "${applicationId}"`);
  } finally {
    await target.close();
  }
  return 0;
}

function resetTo(values: { [flag: string]: unknown }): ResetTo {
  const given = ['to-earliest', 'to-latest', 'to-datetime', 'to-offset'].filter((flag) => values[flag] !== undefined && values[flag] !== false);
  if (given.length > 1) throw new StreamsError('INVALID_ARGUMENT', `${given.map((f) => `--${f}`).join(' and ')} exclude each other: pick one`);
  if (values['to-latest'] === true) return { kind: 'latest' };
  if (values['to-datetime'] !== undefined) return { kind: 'datetime', timestamp: parseTimestamp('--to-datetime', values['to-datetime'] as string) };
  if (values['to-offset'] !== undefined) return { kind: 'offset', offset: intOption('reset', 'to-offset', values['to-offset'] as string, 0, 0) };
  return { kind: 'earliest' };
}

async function resetPositions(target: CommandTarget, topics: readonly string[], to: ResetTo): Promise<CommittedPosition[]> {
  const positions: CommittedPosition[] = [];
  for (const topic of topics) {
    const count = await target.partitionCount(topic);
    for (let partition = 0; partition < count; partition++) {
      const { earliest, latest } = await target.offsets(topic, partition);
      const offset = to.kind === 'earliest' ? earliest
        : to.kind === 'latest' ? latest
          : to.kind === 'datetime' ? await target.offsetForTimestamp(topic, partition, to.timestamp)
            : Math.min(Math.max(to.offset, earliest), latest);
      positions.push({ topic, partition, offset });
    }
  }
  return positions;
}
