import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Consumed, DEAD_LETTER_QUEUE_HEADERS, ExceptionHandlerResponse, KafkaStreams, LogEngine, PunctuationType, Serdes, Stores, StreamsBuilder,
  Topology, deadLetterQueueRecord, isStreamsError,
} from '../../src/index.ts';
import type {
  DeserializationExceptionHandler, ErrorHandlerContext, Header, ProcessingExceptionHandler, Processor, ProductionExceptionHandler, StreamRecord, StreamsConfig,
} from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { loggedLines } from '../support/log-capture.ts';
import { tempDir } from '../support/temp-dir.ts';
import { NODES, POISON_INPUTS, poisonOrders } from './poison-orders.ts';

const str = Serdes.String();
const DLQ = 'orders-dlq';
const ALL_CONTINUE = {
  'default.deserialization.exception.handler': 'logAndContinue',
  'processing.exception.handler': 'logAndContinue',
  'production.exception.handler': 'logAndContinue',
};

/** Pipes the poison inputs as raw strings; resolves with the first error, or undefined. */
async function pipeAll(driver: TopologyTestDriver): Promise<unknown> {
  const input = driver.createInputTopic('orders', str, str);
  try {
    for (const r of POISON_INPUTS) await input.pipeRecordList([r]);
  } catch (error) {
    return error;
  }
  return undefined;
}

const text = (headers: readonly Header[], key: string) => {
  const header = headers.find((h) => h.key === key);
  return header === undefined ? undefined : header.value?.toString() ?? null;
};

/** What a DLQ record must hold for input record `offset` (Kafka 4.4's built-in handlers, checked in test/reference). */
function expectDeadLetter(record: { key: Buffer | null; value: Buffer | null; timestamp: number; headers: readonly Header[] }, offset: number, exception: string) {
  const input = POISON_INPUTS[offset]!;
  expect(record.key?.toString()).toBe(input.key);
  expect(record.value?.toString()).toBe(input.value);
  expect(record.timestamp).toBe(input.timestamp);
  expect(record.headers.map((h) => h.key)).toEqual([...input.headers.map((h) => h.key), ...Object.values(DEAD_LETTER_QUEUE_HEADERS)]);
  expect(text(record.headers, 'trace')).toBe(text(input.headers, 'trace'));
  expect(text(record.headers, DEAD_LETTER_QUEUE_HEADERS.exception)).toBe(exception);
  expect([text(record.headers, DEAD_LETTER_QUEUE_HEADERS.topic), text(record.headers, DEAD_LETTER_QUEUE_HEADERS.partition), text(record.headers, DEAD_LETTER_QUEUE_HEADERS.offset)])
    .toEqual(['orders', '0', String(offset)]);
  expect(text(record.headers, DEAD_LETTER_QUEUE_HEADERS.stacktrace)).toContain(text(record.headers, DEAD_LETTER_QUEUE_HEADERS.message));
}

describe('exception handlers on the TopologyTestDriver', () => {
  it('a deserialization handler gets the raw record and its context, and resume drops just that record', async () => {
    const seen: Array<{ context: ErrorHandlerContext; record: Parameters<DeserializationExceptionHandler>[1]; error: Error }> = [];
    const handler: DeserializationExceptionHandler = (context, record, error) => {
      seen.push({ context, record, error });
      return ExceptionHandlerResponse.resume();
    };
    const driver = new TopologyTestDriver(poisonOrders(), { ...ALL_CONTINUE, 'default.deserialization.exception.handler': undefined, 'deserialization.exception.handler': handler });
    expect(await pipeAll(driver)).toBeUndefined();
    expect(seen).toHaveLength(1);
    const { context, record, error } = seen[0]!;
    expect({ ...context, sourceRawKey: context.sourceRawKey?.toString(), sourceRawValue: context.sourceRawValue?.toString() }).toEqual({
      topic: 'orders', partition: 0, offset: 1, headers: POISON_INPUTS[1]!.headers, processorNodeId: NODES.source, taskId: '0_0',
      timestamp: 1001, sourceRawKey: 'b', sourceRawValue: 'not json',
    });
    expect([record.topic, record.partition, record.offset, record.key?.toString(), record.value?.toString()]).toEqual(['orders', 0, 1, 'b', 'not json']);
    expect(isStreamsError(error, 'DESERIALIZATION_ERROR')).toBe(true);
    expect(driver.createOutputTopic('amounts', str, Serdes.Long()).readValuesToList()).toEqual([1, 2]);
  });

  it('a processing handler gets what the processor threw, the record at that processor, and the input record\'s raw bytes', async () => {
    const seen: Array<{ context: ErrorHandlerContext; record: unknown; error: Error }> = [];
    const handler: ProcessingExceptionHandler = (context, record, error) => {
      seen.push({ context, record, error });
      return ExceptionHandlerResponse.resume();
    };
    const driver = new TopologyTestDriver(poisonOrders(), { ...ALL_CONTINUE, 'processing.exception.handler': handler });
    expect(await pipeAll(driver)).toBeUndefined();
    expect(seen).toHaveLength(1);
    const { context, record, error } = seen[0]!;
    expect([context.topic, context.partition, context.offset, context.processorNodeId, context.taskId, context.timestamp]).toEqual(['orders', 0, 2, NODES.mapValues, '0_0', 1002]);
    expect([context.sourceRawKey?.toString(), context.sourceRawValue?.toString(), text(context.headers, 'trace')]).toEqual(['c', '{"amount":13}', 't-c']);
    expect(record).toMatchObject({ key: 'c', value: { amount: 13 }, timestamp: 1002 });
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('13 is unlucky');
    expect(driver.createOutputTopic('amounts', str, Serdes.Long()).readValuesToList()).toEqual([1, 2]);
  });

  it('a production handler gets the record the sink could not serialize and which part failed', async () => {
    const seen: Array<Parameters<ProductionExceptionHandler>> = [];
    const handler: ProductionExceptionHandler = (...args) => {
      seen.push(args);
      return ExceptionHandlerResponse.resume();
    };
    const driver = new TopologyTestDriver(poisonOrders(), { ...ALL_CONTINUE, 'production.exception.handler': handler });
    expect(await pipeAll(driver)).toBeUndefined();
    expect(seen).toHaveLength(1);
    const [context, record, error, origin] = seen[0]!;
    expect([context.topic, context.offset, context.processorNodeId, context.sourceRawValue?.toString()]).toEqual(['orders', 3, NODES.sink, '{"amount":"lots"}']);
    expect([record.topic, record.key, record.value, record.timestamp, origin]).toEqual(['amounts', 'd', 'lots', 1003, 'VALUE']);
    expect(isStreamsError(error, 'SERIALIZATION_ERROR')).toBe(true);
    expect(driver.createOutputTopic('amounts', str, Serdes.Long()).readValuesToList()).toEqual([1, 2]);
  });

  it('fail stops at the poison record with the error of each kind, after the dead-letter records the handler returned', async () => {
    const failing = ExceptionHandlerResponse.fail;
    const cases: Array<[StreamsConfig, string, number]> = [
      [{ 'default.deserialization.exception.handler': () => failing() }, 'DESERIALIZATION_ERROR', 1],
      [{ ...ALL_CONTINUE, 'processing.exception.handler': (c: ErrorHandlerContext, _r: unknown, e: Error) => failing([deadLetterQueueRecord(DLQ, c, e)]) }, 'PROCESSOR_ERROR', 2],
      [{ ...ALL_CONTINUE, 'production.exception.handler': undefined, 'default.production.exception.handler': () => failing() }, 'SERIALIZATION_ERROR', 3],
    ];
    for (const [config, code, offset] of cases) {
      const driver = new TopologyTestDriver(poisonOrders(), config);
      const error = await pipeAll(driver);
      expect(isStreamsError(error, code as 'PROCESSOR_ERROR'), `${code}: ${String(error)}`).toBe(true);
      expect((error as { location?: object }).location).toEqual({ topic: 'orders', partition: 0, offset });
      expect(driver.createOutputTopic('amounts', str, Serdes.Long()).readValuesToList()).toEqual([1]);
      if (code === 'PROCESSOR_ERROR') expectDeadLetter(driver.producedRecords(DLQ)[0]!, 2, 'RangeError');
    }
  });

  it('the built-in handlers write each kind of poison record to errors.dead.letter.queue.topic.name with Kafka\'s headers', async () => {
    const driver = new TopologyTestDriver(poisonOrders(), { ...ALL_CONTINUE, 'errors.dead.letter.queue.topic.name': DLQ });
    expect(await pipeAll(driver)).toBeUndefined();
    const dead = driver.producedRecords(DLQ);
    expect(dead.map((r) => r.partition)).toEqual([undefined, undefined, undefined]);
    expectDeadLetter(dead[0]!, 1, 'DESERIALIZATION_ERROR');
    expectDeadLetter(dead[1]!, 2, 'RangeError');
    expectDeadLetter(dead[2]!, 3, 'SERIALIZATION_ERROR');
    expect(text(dead[1]!.headers, DEAD_LETTER_QUEUE_HEADERS.message)).toBe('13 is unlucky');
    expect(driver.createOutputTopic('amounts', str, Serdes.Long()).readValuesToList()).toEqual([1, 2]);
    // Each skipped record was logged once, naming where it was.
    expect(loggedLines('warn').map((l) => l.message.match(/offset (\d)/)?.[1])).toEqual(['1', '2', '3']);
  });

  it('the built-in failing handlers write the dead-letter record too, then fail (as Kafka 4.4\'s do)', async () => {
    const driver = new TopologyTestDriver(poisonOrders(), { 'errors.dead.letter.queue.topic.name': DLQ });
    expect(isStreamsError(await pipeAll(driver), 'DESERIALIZATION_ERROR')).toBe(true);
    expectDeadLetter(driver.producedRecords(DLQ)[0]!, 1, 'DESERIALIZATION_ERROR');
  });

  it('takes Kafka\'s class names and the shortcuts, and refuses other names naming the key', async () => {
    const kafkaNames = {
      'default.deserialization.exception.handler': 'org.apache.kafka.streams.errors.LogAndContinueExceptionHandler',
      'processing.exception.handler': 'LogAndContinueProcessingExceptionHandler',
      'production.exception.handler': 'logAndContinue',
    };
    const driver = new TopologyTestDriver(poisonOrders(), kafkaNames);
    expect(await pipeAll(driver)).toBeUndefined();
    expect(driver.createOutputTopic('amounts', str, Serdes.Long()).readValuesToList()).toEqual([1, 2]);
    const strict = new TopologyTestDriver(poisonOrders(), { ...kafkaNames, 'production.exception.handler': 'DefaultProductionExceptionHandler' });
    expect(isStreamsError(await pipeAll(strict), 'SERIALIZATION_ERROR')).toBe(true);
    expect(() => new TopologyTestDriver(poisonOrders(), { 'processing.exception.handler': 'LogAndContinueExceptionHandler' }))
      .toThrow(/"processing.exception.handler" must be a handler function or one of "logAndFail", "LogAndFailProcessingExceptionHandler"/);
  });

  it('reads the old dead-letter key errors.deadletterqueue.topic.name with one warning', async () => {
    const driver = new TopologyTestDriver(poisonOrders(), { 'errors.deadletterqueue.topic.name': DLQ, 'default.deserialization.exception.handler': 'logAndContinue' });
    await pipeAll(driver);
    expectDeadLetter(driver.producedRecords(DLQ)[0]!, 1, 'DESERIALIZATION_ERROR');
    expect(loggedLines('warn').filter((l) => l.message.includes('errors.dead.letter.queue.topic.name'))).toHaveLength(1);
  });

  it('a punctuator\'s failure goes to the processing handler with a null record and no input record in the context', async () => {
    const ticking = () => {
      const builder = new StreamsBuilder();
      builder.stream('ticks', Consumed.with(str, str)).process(() => {
        const processor: Processor<string, string, string, string> = {
          init: (context) => void context.schedule(10, PunctuationType.STREAM_TIME, (at) => {
            if (at === 20) throw new Error('punctuator broke');
          }),
          process: () => {},
        };
        return processor;
      });
      return builder.build();
    };
    const seen: Array<[ErrorHandlerContext, unknown]> = [];
    const handler: ProcessingExceptionHandler = (context, record) => {
      seen.push([context, record]);
      return ExceptionHandlerResponse.resume();
    };
    const resuming = new TopologyTestDriver(ticking(), { 'processing.exception.handler': handler });
    const ticks = resuming.createInputTopic('ticks', str, str);
    for (const at of [10, 20, 30]) await ticks.pipeInput('k', 'v', at);
    expect(seen.map(([c, r]) => [c.topic, c.partition, c.offset, c.processorNodeId, c.timestamp, c.sourceRawValue, r]))
      .toEqual([[undefined, -1, -1, 'KSTREAM-PROCESSOR-0000000001', 20, null, null]]);
    const failing = new TopologyTestDriver(ticking());
    const failingTicks = failing.createInputTopic('ticks', str, str);
    await failingTicks.pipeInput('k', 'v', 10);
    await expect(failingTicks.pipeInput('k', 'v', 20)).rejects.toThrow(/failed in punctuate .*punctuator broke/);
  });

  it('a global store\'s processor fails by default, and the processing handler decides only with processing.exception.handler.global.enabled', async () => {
    const users = () => new Topology().addGlobalStore(
      Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('users'), str, str).withLoggingDisabled(),
      {
        sourceName: 'users-source', topic: 'users', keySerde: str, valueSerde: str, processorName: 'users-loader',
        stateUpdateSupplier: () => ({
          process: (record: StreamRecord<string, string>) => {
            if (record.value === '') throw new Error('a user needs a name');
          },
        }),
      },
    );
    const pipeUsers = async (driver: TopologyTestDriver) => {
      const input = driver.createInputTopic('users', str, str);
      await input.pipeInput('u1', '', 1);
      await input.pipeInput('u2', 'Bob', 2);
    };
    const config = { 'processing.exception.handler': 'logAndContinue', 'errors.dead.letter.queue.topic.name': DLQ };
    await expect(pipeUsers(new TopologyTestDriver(users(), config))).rejects.toThrow(/"users-loader" .* a user needs a name/);
    const enabled = new TopologyTestDriver(users(), { ...config, 'processing.exception.handler.global.enabled': 'true' });
    await pipeUsers(enabled);
    // As in Kafka 4.x, no dead-letter records for global stores: dropped with a warning.
    expect(enabled.producedRecords(DLQ)).toEqual([]);
    expect(loggedLines('warn').filter((l) => l.message.includes('dead-letter record(s) of a global store'))).toHaveLength(1);
  });

  it('a handler that throws or answers something else stops the task with EXCEPTION_HANDLER_ERROR', async () => {
    for (const handler of [() => { throw new Error('handler bug'); }, () => 'resume']) {
      const driver = new TopologyTestDriver(poisonOrders(), { 'deserialization.exception.handler': handler });
      const error = await pipeAll(driver);
      expect(isStreamsError(error, 'EXCEPTION_HANDLER_ERROR'), String(error)).toBe(true);
      expect(String(error)).toMatch(/the deserialization exception handler (threw|answered)/);
    }
  });
});

describe('exception handlers on the embedded runtime', () => {
  it('the same decisions and dead-letter records, committed with the input offsets', async () => {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    for (const topic of ['orders', 'amounts', DLQ]) await log.createTopic(topic);
    await log.produce('orders', POISON_INPUTS.map((r) => ({ key: Buffer.from(r.key), value: Buffer.from(r.value), timestamp: r.timestamp, headers: r.headers })));
    const contexts: ErrorHandlerContext[] = [];
    const config = {
      ...ALL_CONTINUE,
      'processing.exception.handler': ((context, _record, error) => {
        contexts.push(context);
        return ExceptionHandlerResponse.resume([deadLetterQueueRecord(DLQ, context, error)]);
      }) satisfies ProcessingExceptionHandler,
      'errors.dead.letter.queue.topic.name': DLQ,
      'application.id': 'handlers', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 10, 'poll.ms': 5,
    };
    const streams = new KafkaStreams(poisonOrders(), config, { engine: log });
    await streams.start();
    // Poll the committed offset: the application reports no event per commit.
    while ((await log.fetchOffsets('handlers')).find((c) => c.topic === 'orders')?.offset !== POISON_INPUTS.length) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await streams.close();
    const dead = await log.fetch(DLQ, 0, 0);
    expect(dead).toHaveLength(3);
    dead.forEach((record, i) => expectDeadLetter(record, i + 1, ['DESERIALIZATION_ERROR', 'RangeError', 'SERIALIZATION_ERROR'][i]!));
    expect((await log.fetch('amounts', 0, 0)).map((r) => Serdes.Long().deserialize('amounts', r.value))).toEqual([1, 2]);
    expect(contexts.map((c) => [c.topic, c.partition, c.offset, c.processorNodeId, c.taskId])).toEqual([['orders', 0, 2, NODES.mapValues, '0_0']]);
    await log.close();
  });

  it('logAndFail with a dead-letter topic: the dead-letter record lands, then the application stops at that record', async () => {
    // Kafka Streams 4.4 on a broker does the same: the dead-letter record is produced, then the thread dies.
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    for (const topic of ['orders', 'amounts', DLQ]) await log.createTopic(topic);
    await log.produce('orders', POISON_INPUTS.map((r) => ({ key: Buffer.from(r.key), value: Buffer.from(r.value), timestamp: r.timestamp, headers: r.headers })));
    const streams = new KafkaStreams(poisonOrders(), {
      'errors.dead.letter.queue.topic.name': DLQ, 'application.id': 'failing', 'state.dir': join(dir, 'state'), 'poll.ms': 5,
    }, { engine: log });
    const failed = new Promise<unknown>((resolve) => streams.setUncaughtExceptionHandler((error) => {
      resolve(error);
      return 'SHUTDOWN_CLIENT';
    }));
    const stopped = new Promise<void>((resolve) => streams.onStateChange((next) => next === 'ERROR' && resolve()));
    await streams.start();
    expect(isStreamsError(await failed, 'DESERIALIZATION_ERROR')).toBe(true);
    await stopped;
    const dead = await log.fetch(DLQ, 0, 0);
    expect(dead).toHaveLength(1);
    expectDeadLetter(dead[0]!, 1, 'DESERIALIZATION_ERROR');
    expect((await log.fetchOffsets('failing')).find((c) => c.topic === 'orders')?.offset).toBe(1);
    await log.close();
  });
});
