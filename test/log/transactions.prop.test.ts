/**
 * Random interleavings of transactional, idempotent and plain produces, commits, aborts, fencing,
 * timeouts and crashes (clean close; unclean stop after the last snapshot; unclean stop that also
 * tears the last unsynced batch) over two transactional producers, one idempotent producer and two
 * partitions, checked after every step against a model of what read_uncommitted and
 * read_committed return and of the last stable offset.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock, isStreamsError } from '../../src/common/index.ts';
import { LogEngine, type IsolationLevel, type ProducerIdentity, type TransactionalProducer } from '../../src/log/index.ts';
import { isControl, readBatchHeader } from '../../src/record/index.ts';
import { tempDir } from '../support/temp-dir.ts';

type Op =
  | { kind: 'produce'; producer: number; partition: number; count: number }
  | { kind: 'end'; producer: number; commit: boolean }
  | { kind: 'fence'; producer: number }
  | { kind: 'timeout' }
  | { kind: 'crash'; how: 'clean' | 'unclean' | 'torn'; partition: number; tear: number };

const PARTITIONS = 2;
const TIMEOUT_MS = 10_000;
const TRANSACTIONAL = ['p0', 'p1'];
/** Producer index 2 is idempotent, index 3 plain. */
const IDEMPOTENT = 2;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('produce' as const), producer: fc.integer({ min: 0, max: 3 }), partition: fc.integer({ min: 0, max: PARTITIONS - 1 }), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('end' as const), producer: fc.integer({ min: 0, max: 1 }), commit: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fence' as const), producer: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('timeout' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const), how: fc.constantFrom('clean' as const, 'unclean' as const, 'torn' as const),
      partition: fc.integer({ min: 0, max: PARTITIONS - 1 }), tear: fc.integer({ min: 1, max: 8 }),
    }),
  },
);

interface Entry { readonly offset: number; readonly value: string; readonly txn: number | null }

/** What the log should hold: data records per partition and each transaction's outcome. */
class Model {
  readonly entries: Entry[][] = Array.from({ length: PARTITIONS }, () => []);
  readonly outcome = new Map<number, 'open' | 'commit' | 'abort'>();
  /** The open transaction of each transactional producer. */
  readonly open: Array<number | undefined> = [undefined, undefined];
  private nextTxn = 0;

  begin(producer: number): number {
    let txn = this.open[producer];
    if (txn === undefined) {
      txn = this.nextTxn++;
      this.open[producer] = txn;
      this.outcome.set(txn, 'open');
    }
    return txn;
  }

  end(producer: number, commit: boolean): void {
    const txn = this.open[producer];
    if (txn === undefined) return;
    this.outcome.set(txn, commit ? 'commit' : 'abort');
    this.open[producer] = undefined;
  }

  lastStableOffset(partition: number, logEnd: number): number {
    const open = this.entries[partition]!.filter((e) => e.txn !== null && this.outcome.get(e.txn) === 'open');
    return open.length === 0 ? logEnd : open[0]!.offset;
  }

  visible(partition: number, isolation: IsolationLevel, lastStableOffset: number): string[] {
    return this.entries[partition]!
      .filter((e) => isolation === 'read_uncommitted' || (e.offset < lastStableOffset && (e.txn === null || this.outcome.get(e.txn) === 'commit')))
      .map((e) => `${e.offset}:${e.value}`);
  }
}

async function readAll(engine: LogEngine, partition: number, isolationLevel: IsolationLevel): Promise<string[]> {
  const out: string[] = [];
  const { earliest, latest } = await engine.listOffsets('t', partition, { isolationLevel });
  for (let offset = earliest; offset < latest; ) {
    const { records, nextOffset } = await engine.fetchRecords('t', partition, offset, { isolationLevel, maxBytes: 200 });
    out.push(...records.map((r) => `${r.offset}:${r.value!.toString()}`));
    if (nextOffset <= offset) throw new Error(`fetchRecords did not move past offset ${offset} (latest ${latest})`);
    offset = nextOffset;
  }
  return out;
}

function activeSegment(dir: string, partition: number): string {
  const files = readdirSync(join(dir, `t-${partition}`)).filter((f) => f.endsWith('.log')).sort();
  return join(dir, `t-${partition}`, files.at(-1)!);
}

/** The base offset and byte position of the segment's last batch, when it is a data batch. */
function lastDataBatch(file: string): { baseOffset: number; position: number } | undefined {
  const bytes = readFileSync(file);
  let last: { baseOffset: number; position: number; control: boolean } | undefined;
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)!;
    last = { baseOffset: header.baseOffset, position, control: isControl(header) };
    position += header.sizeInBytes;
  }
  return last === undefined || last.control ? undefined : last;
}

async function run(ops: readonly Op[]): Promise<void> {
  const dir = tempDir();
  const clock = new ManualClock(1_000_000);
  const openEngine = (): Promise<LogEngine> => LogEngine.open({ dataDir: dir, clock, retentionCheckIntervalMs: 0, transactionAbortCheckIntervalMs: 0 });
  let engine = await openEngine();
  try {
    await engine.createTopic('t', { partitions: PARTITIONS, config: { 'segment.bytes': 300 } });
    const model = new Model();
    const producers: TransactionalProducer[] = [];
    for (const id of TRANSACTIONAL) producers.push({ transactionalId: id, ...(await engine.initProducerId(id, { transactionTimeoutMs: TIMEOUT_MS })) });
    const idempotent: ProducerIdentity = await engine.initProducerId(null);
    const timedOut = [false, false];
    let counter = 0;

    for (const op of ops) {
      if (op.kind === 'produce') {
        const values = Array.from({ length: op.count }, () => `v${counter++}`);
        const records = values.map((v) => ({ key: null, value: Buffer.from(v), timestamp: clock.nowMs(), headers: [], partition: op.partition }));
        let txn: number | null = null;
        let options = {};
        if (op.producer < TRANSACTIONAL.length) {
          if (timedOut[op.producer]) {
            const refused = await engine.produce('t', records, { producer: producers[op.producer]!, addPartitions: true }).catch((e: unknown) => e);
            expect(isStreamsError(refused, 'TRANSACTION_TIMED_OUT')).toBe(true);
            producers[op.producer] = { transactionalId: TRANSACTIONAL[op.producer]!, ...(await engine.initProducerId(TRANSACTIONAL[op.producer]!, { transactionTimeoutMs: TIMEOUT_MS })) };
            timedOut[op.producer] = false;
          }
          txn = model.begin(op.producer);
          options = { producer: producers[op.producer]!, addPartitions: true };
        } else if (op.producer === IDEMPOTENT) {
          options = { producer: idempotent };
        }
        const acks = await engine.produce('t', records, options);
        acks.forEach((ack, i) => model.entries[op.partition]!.push({ offset: ack.offset, value: values[i]!, txn }));
      } else if (op.kind === 'end') {
        if (model.open[op.producer] === undefined || timedOut[op.producer]) continue;
        await engine.endTxn(producers[op.producer]!, op.commit);
        model.end(op.producer, op.commit);
      } else if (op.kind === 'fence') {
        const zombie = producers[op.producer]!;
        producers[op.producer] = { transactionalId: zombie.transactionalId, ...(await engine.initProducerId(zombie.transactionalId, { transactionTimeoutMs: TIMEOUT_MS })) };
        model.end(op.producer, false);
        timedOut[op.producer] = false;
        const refused = await engine.endTxn(zombie, true).catch((e: unknown) => e);
        expect(isStreamsError(refused, 'PRODUCER_FENCED') || isStreamsError(refused, 'TRANSACTION_TIMED_OUT')).toBe(true);
      } else if (op.kind === 'timeout') {
        clock.advance(TIMEOUT_MS);
        await engine.abortTimedOutTransactions();
        for (let p = 0; p < TRANSACTIONAL.length; p++) {
          if (model.open[p] !== undefined) timedOut[p] = true;
          model.end(p, false);
        }
      } else {
        const snapshots = Array.from({ length: PARTITIONS }, (_, p) => {
          const file = join(dir, `t-${p}`, 'producer-state.json');
          return existsSync(file) ? readFileSync(file) : undefined;
        });
        await engine.close();
        if (op.how !== 'clean') {
          // As if the process died: no clean-shutdown mark, and only the snapshots written before (at segment rolls).
          rmSync(join(dir, '.clean-shutdown'));
          snapshots.forEach((content, p) => {
            const file = join(dir, `t-${p}`, 'producer-state.json');
            if (content === undefined) rmSync(file, { force: true });
            else writeFileSync(file, content);
          });
        }
        if (op.how === 'torn') {
          // The last batch, when it is data (markers are fsynced before EndTxn returns), was not yet on disk.
          const file = activeSegment(dir, op.partition);
          const last = lastDataBatch(file);
          if (last !== undefined) {
            truncateSync(file, Math.max(last.position, statSync(file).size - op.tear));
            const entries = model.entries[op.partition]!;
            entries.splice(0, entries.length, ...entries.filter((e) => e.offset < last.baseOffset));
          }
        }
        engine = await openEngine();
      }

      for (let p = 0; p < PARTITIONS; p++) {
        const lso = model.lastStableOffset(p, (await engine.listOffsets('t', p)).latest);
        expect(engine.lastStableOffset('t', p)).toBe(lso);
        expect(await readAll(engine, p, 'read_uncommitted')).toEqual(model.visible(p, 'read_uncommitted', lso));
        expect(await readAll(engine, p, 'read_committed')).toEqual(model.visible(p, 'read_committed', lso));
      }
    }
  } finally {
    await engine.close();
  }
}

describe('transactions against a model', () => {
  it('read_uncommitted, read_committed and the LSO match the model through produces, commits, aborts, fencing, timeouts and crashes', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), run), { seed: 20261206, numRuns: 60 });
  });
});
