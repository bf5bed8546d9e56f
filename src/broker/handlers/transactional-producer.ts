import type { TransactionalProducer } from '../../log/index.ts';
import type { Message } from '../../protocol/index.ts';

/** The producer a transactional request speaks for (its transactional id, producer id and epoch). */
export function producerOf(request: Message): TransactionalProducer {
  return {
    transactionalId: request['transactionalId'] as string,
    producerId: request['producerId'] as number,
    producerEpoch: request['producerEpoch'] as number,
  };
}
