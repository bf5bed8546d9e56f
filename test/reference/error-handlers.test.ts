import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_QUEUE_HEADERS, Serdes } from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { POISON_INPUTS, poisonOrders } from '../runtime/poison-orders.ts';
import { runJava } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * kstreams' dead-letter queue against Kafka Streams 4.x's (KIP-1034): one poison record of each
 * kind (deserialization, processing, production) through the same topology in Kafka's
 * TopologyTestDriver (ErrorHandlers.java) and in ours, with `errors.dead.letter.queue.topic.name`
 * set and resuming handlers. The dead-letter records must agree in key, value, timestamp, header
 * names and order, and the input record's position; only `__streams.errors.exception` differs in
 * kind (Java class names there, error codes or names here), and the message and stack trace text.
 */
const build = referenceBuild();
const DLQ = 'orders-dlq';

interface DeadLetter {
  key: string | null;
  value: string | null;
  timestamp: number;
  headers: Array<[string, string | null]>;
}

async function kafkaStreamsDeadLetters(): Promise<{ dlq: DeadLetter[]; amounts: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-error-handlers-'));
  try {
    const records = POISON_INPUTS.map((r) => ({ ...r, headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value?.toString()])) }));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ records }));
    await runJava(build!, 'dev.kstreams.reference.ErrorHandlers', [join(dir, 'in.json'), join(dir, 'out.json')]);
    return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function kstreamsDeadLetters(): Promise<{ dlq: DeadLetter[]; amounts: number[] }> {
  const driver = new TopologyTestDriver(poisonOrders(), {
    'errors.dead.letter.queue.topic.name': DLQ,
    'deserialization.exception.handler': 'LogAndContinueExceptionHandler',
    'processing.exception.handler': 'LogAndContinueProcessingExceptionHandler',
    'production.exception.handler': 'logAndContinue',
  });
  const input = driver.createInputTopic('orders', Serdes.String(), Serdes.String());
  await input.pipeRecordList(POISON_INPUTS);
  const dlq = driver.producedRecords(DLQ).map((r) => ({
    key: r.key?.toString() ?? null,
    value: r.value?.toString() ?? null,
    timestamp: r.timestamp,
    headers: r.headers.map((h): [string, string | null] => [h.key, h.value?.toString() ?? null]),
  }));
  const amounts = driver.createOutputTopic('amounts', Serdes.String(), Serdes.Long()).readValuesToList() as number[];
  await driver.close();
  return { dlq, amounts };
}

/** A dead-letter record without the texts that name errors the language's way. */
function comparable(record: DeadLetter) {
  const languageSpecific: string[] = [DEAD_LETTER_QUEUE_HEADERS.exception, DEAD_LETTER_QUEUE_HEADERS.message, DEAD_LETTER_QUEUE_HEADERS.stacktrace];
  return {
    ...record,
    headerNames: record.headers.map(([key]) => key),
    headers: record.headers.filter(([key]) => !languageSpecific.includes(key)),
  };
}

describe.skipIf(build === undefined)('dead-letter records as Kafka Streams writes them', () => {
  it('same topic, key, value, timestamp and headers for a poison record of each kind', async () => {
    const [expected, actual] = [await kafkaStreamsDeadLetters(), await kstreamsDeadLetters()];
    expect(expected.dlq).toHaveLength(3);
    expect(actual.amounts).toEqual(expected.amounts);
    expect(actual.dlq.map(comparable)).toEqual(expected.dlq.map(comparable));
    // Both name the error and carry a message and a stack trace.
    for (const record of [...expected.dlq, ...actual.dlq]) {
      for (const key of [DEAD_LETTER_QUEUE_HEADERS.exception, DEAD_LETTER_QUEUE_HEADERS.message, DEAD_LETTER_QUEUE_HEADERS.stacktrace]) {
        expect(record.headers.find(([k]) => k === key)?.[1]?.length ?? 0).toBeGreaterThan(0);
      }
    }
  }, 120_000);
});
