/**
 * The kstreams demo (`npm start`): an online shop's order stream, end to end on the embedded log
 * engine — no server to install.
 *
 *  1. creates an `orders` topic with several partitions in a fresh data directory;
 *  2. produces keyed orders (key = user id, value = JSON) in batches; Kafka's murmur2 partitioner
 *     puts each user on the partition a Java producer would choose;
 *  3. reads every partition back and shows its offsets and the read throughput;
 *  4. runs the per-user spending application (topology-examples/user-spending.ts) as a
 *     KafkaStreams instance on the same engine — a task per partition, a changelog-backed store —
 *     and checks the totals it writes to the compacted `user-totals` topic against a plain sum.
 *
 * Usage: `npm start` or `npx tsx topology-examples/demo.ts [--orders N] [--partitions N]
 * [--users N] [--data-dir DIR] [--keep]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LogEngine, setLogLevel } from 'kstreams';
import { runUserSpendingOverLog } from './demo/spending-step.ts';
import { Progress, formatCount, formatRate } from './demo/progress.ts';
import { generateOrders } from './demo/orders.ts';

const usage = `usage: npm start -- [options]   (or: npx tsx topology-examples/demo.ts [options])

Produces an order stream into the embedded log engine, reads it back, and computes per-user
spending totals with a kstreams topology.

options:
  --orders N       orders to produce (default 200000)
  --users N        distinct users (default 1000)
  --partitions N   partitions of the orders topic (default 4)
  --data-dir DIR   where the log engine stores its data (default: a new temporary directory)
  --keep           keep the data directory afterwards (a temporary one is removed by default)
  --help           show this help`;

interface DemoOptions {
  orders: number;
  users: number;
  partitions: number;
  dataDir: string | undefined;
  keep: boolean;
}

function parseOptions(argv: string[]): DemoOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      orders: { type: 'string' },
      users: { type: 'string' },
      partitions: { type: 'string' },
      'data-dir': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    console.log(usage);
    process.exit(0);
  }
  return {
    orders: positiveInt('--orders', values.orders, 200_000),
    users: positiveInt('--users', values.users, 1_000),
    partitions: positiveInt('--partitions', values.partitions, 4),
    dataDir: values['data-dir'],
    keep: values.keep === true,
  };
}

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a positive whole number, got '${raw}'`);
  }
  return n;
}

class UsageError extends Error {}

const BATCH = 1_000;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // The demo shows its own progress; warnings and errors still get through.
  if (process.env['KSTREAMS_LOG_LEVEL'] === undefined) setLogLevel('warn');
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kstreams-demo-')));
  console.log(`kstreams demo: ${formatCount(options.orders)} orders from ${formatCount(options.users)} users`);
  console.log(`data directory: ${dataDir}\n`);

  const log = await LogEngine.open({ dataDir });
  try {
    console.log(`[1/4] creating topic 'orders' with ${options.partitions} partitions`);
    await log.createTopic('orders', { partitions: options.partitions });

    console.log(`[2/4] producing orders in batches of ${formatCount(BATCH)}`);
    const produce = new Progress('      produced', options.orders);
    let bytes = 0;
    const started = performance.now();
    for (const batch of generateOrders(options.orders, options.users, BATCH)) {
      for (const record of batch) bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
      await log.produce('orders', batch);
      produce.advance(batch.length);
    }
    const produceSeconds = (performance.now() - started) / 1000;
    produce.done(`${formatRate(options.orders, produceSeconds)} records/s, ${(bytes / 1048576 / produceSeconds).toFixed(1)} MB/s`);

    console.log(`[3/4] reading every partition back`);
    const readStarted = performance.now();
    let read = 0;
    const rows: string[] = [];
    for (let partition = 0; partition < options.partitions; partition++) {
      const { earliest, latest } = await log.listOffsets('orders', partition);
      let offset = earliest;
      while (offset < latest) {
        const records = await log.fetch('orders', partition, offset, { maxBytes: 1 << 20 });
        if (records.length === 0) break;
        read += records.length;
        offset = records[records.length - 1]!.offset + 1;
      }
      rows.push(`      partition ${partition}: offsets ${earliest}..${latest - 1}  (${formatCount(latest - earliest)} orders)`);
    }
    const readSeconds = (performance.now() - readStarted) / 1000;
    for (const row of rows) console.log(row);
    console.log(`      read ${formatCount(read)} records in ${readSeconds.toFixed(2)} s (${formatRate(read, readSeconds)} records/s)`);
    if (read !== options.orders) throw new Error(`read ${read} orders back but produced ${options.orders}`);

    console.log(`[4/4] running the per-user spending application (topology-examples/user-spending.ts) with KafkaStreams`);
    await runUserSpendingOverLog(log, options.partitions);
  } finally {
    await log.close();
    if (temporary && !options.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`demo: ${error.message}\nRun with --help to see the options.`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
