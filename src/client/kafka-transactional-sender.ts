import type { Consumer, Message, MessageRecord, Producer } from '@platformatic/kafka';
import { StreamsError } from '../common/index.ts';
import { clientErrorHas } from './client-errors.ts';
import type { ClusterRecord, CommittedPosition, TransactionalSender } from './cluster.ts';
import type { KafkaBatchProducer, ProducerIdentity } from './kafka-batch-producer.ts';

type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;

/** Kafka's answers meaning that someone newer owns the work: a newer producer epoch, or a newer group generation. */
const FENCING_ERRORS = ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'] as const;

/** The Kafka error id that fenced this producer, when `error` (or one it wraps) is one. */
function fencingErrorOf(error: unknown): string | undefined {
  return FENCING_ERRORS.find((id) => clientErrorHas(error, 'apiId', id));
}

/**
 * A stream thread's transactional producer on a Kafka-protocol cluster, over @platformatic/kafka's
 * transactions: AddPartitionsToTxn as records go out, then AddOffsetsToTxn, TxnOffsetCommit (with
 * the group's generation and member id, so a member the group has replaced is fenced) and EndTxn.
 * The records themselves go out as kstreams-encoded batches (`KafkaBatchProducer`) under the
 * producer id and epoch the client initialised, with sequence numbers kept here per partition.
 *
 * @example
 * const sender = await KafkaTransactionalSender.open(producer, new KafkaBatchProducer(client, producer, options), groupConsumer, 'orders-app-3f1c…-1');
 */
export class KafkaTransactionalSender implements TransactionalSender {
  private transaction: Transaction | undefined;
  /**
   * Calls run one after another: the client shares one in-flight slot per kind of request
   * (AddPartitionsToTxn among them), so two concurrent sends could add only one's partitions.
   */
  private queue: Promise<unknown> = Promise.resolve();
  /** Input positions the last committed transaction carried: only changed ones are sent again. */
  private readonly committed = new Map<string, number>();
  /** Next sequence number per partition under `sequencesOf` (a producer id and epoch). */
  private sequences = new Map<string, number>();
  private sequencesOf = '';

  private constructor(
    private readonly producer: Producer,
    private readonly batches: KafkaBatchProducer,
    private readonly consumer: Consumer,
    readonly transactionalId: string,
  ) {}

  /**
   * Initialises the producer id of `producer`'s transactional id (InitProducerId), which fences its
   * older epochs and aborts what they left open. `consumer` is the group member whose generation
   * the offsets are committed under; `batches` sends the records over `producer`'s connections.
   */
  static async open(producer: Producer, batches: KafkaBatchProducer, consumer: Consumer, transactionalId: string): Promise<KafkaTransactionalSender> {
    const sender = new KafkaTransactionalSender(producer, batches, consumer, transactionalId);
    try {
      // Beginning a transaction runs InitProducerId; nothing is sent, so it is dropped locally.
      await (await producer.beginTransaction()).cancel();
    } catch (cause) {
      throw sender.failure('initialising the transactional producer', cause);
    }
    return sender;
  }

  produce(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    return this.serially(() => this.produceNow(topic, records));
  }

  commit(group: string, positions: readonly CommittedPosition[]): Promise<void> {
    return this.serially(() => this.commitNow(group, positions));
  }

  abort(): Promise<void> {
    return this.serially(() => this.abortNow());
  }

  async close(): Promise<void> {
    await this.abort().catch(() => undefined);
  }

  private serially<T>(call: () => Promise<T>): Promise<T> {
    const result = this.queue.then(call);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async produceNow(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      const transaction = (this.transaction ??= await this.producer.beginTransaction());
      await this.batches.produce(topic, records, this.identityIn(transaction));
    } catch (cause) {
      throw await this.failAndAbort('producing in a transaction', cause);
    }
  }

  /** Who writes in `transaction`: the producer id and epoch the client holds now, and their sequences. */
  private identityIn(transaction: Transaction): ProducerIdentity {
    const producerId = Number(this.producer.producerId);
    const producerEpoch = this.producer.producerEpoch!;
    // A new producer id or epoch starts every partition's sequence at 0 again.
    if (this.sequencesOf !== `${producerId}/${producerEpoch}`) {
      this.sequences = new Map();
      this.sequencesOf = `${producerId}/${producerEpoch}`;
    }
    return {
      transactionalId: transaction.id, producerId, producerEpoch, sequences: this.sequences,
      addPartitions: async (topic, partitions) => {
        const metadata = await this.producer.metadata({ topics: [topic] });
        // The client reads only the topic and partition of these "messages".
        await transaction.addPartitions(metadata, partitions.map((partition) => ({ topic, partition }) as MessageRecord));
      },
    };
  }

  private async commitNow(group: string, positions: readonly CommittedPosition[]): Promise<void> {
    const changed = positions.filter((p) => this.committed.get(`${p.topic}\0${p.partition}`) !== p.offset);
    if (this.transaction === undefined && changed.length === 0) return;
    try {
      this.transaction ??= await this.producer.beginTransaction();
      if (changed.length > 0) {
        await this.transaction.addConsumer(this.consumer);
        // One TxnOffsetCommit per partition (the client's calls share one in-flight slot, so one after another).
        for (const p of changed) await this.transaction.addOffset(this.consumedMessage(group, p));
      }
      await this.transaction.commit();
      this.transaction = undefined;
    } catch (cause) {
      throw await this.failAndAbort('committing a transaction', cause);
    }
    for (const p of changed) this.committed.set(`${p.topic}\0${p.partition}`, p.offset);
  }

  /**
   * The client commits "this message was consumed": offset + 1 under the generation and member id
   * in its consumer metadata. It reads nothing else of the message.
   */
  private consumedMessage(group: string, position: CommittedPosition): Message {
    const consumer = { groupId: group, generationId: this.consumer.generationId, memberId: this.consumer.memberId, coordinatorId: this.consumer.coordinatorId };
    return { topic: position.topic, partition: position.partition, offset: BigInt(position.offset - 1), metadata: { consumer } } as unknown as Message;
  }

  private async abortNow(): Promise<void> {
    const open = this.transaction;
    this.transaction = undefined;
    if (open === undefined || open.completed) return;
    await open.abort().catch(() => open.cancel());
  }

  /** Aborts what is open (a fenced producer can only drop it locally) and returns the error to throw. */
  private async failAndAbort(what: string, cause: unknown): Promise<unknown> {
    const error = this.failure(what, cause);
    await this.abortNow().catch(() => undefined);
    this.committed.clear();
    return error;
  }

  /** A PRODUCER_FENCED error when Kafka fenced this producer, else the client's own error. */
  private failure(what: string, cause: unknown): unknown {
    const fencedBy = fencingErrorOf(cause);
    if (fencedBy !== undefined) {
      return new StreamsError('PRODUCER_FENCED', `${what} as "${this.transactionalId}" failed with ${fencedBy}: another instance (or a newer start of this one) ` +
        'has taken over these tasks, or the transaction outlived its timeout; it is aborted and its records stay invisible to read_committed readers', { cause });
    }
    return cause;
  }
}
