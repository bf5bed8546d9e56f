import { describe, expect, it } from 'vitest';
import { StreamsError } from '../../src/common/index.ts';
import type { StreamsErrorCode } from '../../src/common/index.ts';
import { coordinatorCode, kafkaErrorOf, produceErrorOf } from '../../src/broker/error-mapping.ts';
import { ERROR_CODES } from '../../src/protocol/index.ts';

const codeOf = (code: StreamsErrorCode) => kafkaErrorOf(new StreamsError(code, `a ${code} failure`));

describe('engine errors as Kafka error codes', () => {
  it('maps producer and transaction failures to the codes Kafka clients act on', () => {
    expect(codeOf('PRODUCER_FENCED').code).toBe(ERROR_CODES.PRODUCER_FENCED);
    expect(codeOf('TRANSACTION_TIMED_OUT').code).toBe(ERROR_CODES.PRODUCER_FENCED);
    expect(codeOf('INVALID_PRODUCER_EPOCH').code).toBe(ERROR_CODES.INVALID_PRODUCER_EPOCH);
    expect(codeOf('OUT_OF_ORDER_SEQUENCE').code).toBe(ERROR_CODES.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(codeOf('INVALID_TXN_STATE').code).toBe(ERROR_CODES.INVALID_TXN_STATE);
    expect(codeOf('CONCURRENT_TRANSACTIONS').code).toBe(ERROR_CODES.CONCURRENT_TRANSACTIONS);
    expect(codeOf('UNKNOWN_PRODUCER_ID').code).toBe(ERROR_CODES.UNKNOWN_PRODUCER_ID);
  });

  it('a failed disk write is KAFKA_STORAGE_ERROR, with the engine\'s message', () => {
    expect(codeOf('STORAGE_ERROR')).toEqual({ code: 56, message: 'a STORAGE_ERROR failure' });
  });

  it('on Produce a fenced epoch is INVALID_PRODUCER_EPOCH (abortable), other codes unchanged', () => {
    expect(produceErrorOf(new StreamsError('PRODUCER_FENCED', 'fenced')).code).toBe(ERROR_CODES.INVALID_PRODUCER_EPOCH);
    expect(produceErrorOf(new StreamsError('INVALID_TXN_STATE', 'not added')).code).toBe(ERROR_CODES.INVALID_TXN_STATE);
    expect(produceErrorOf(new Error('bug')).code).toBe(ERROR_CODES.UNKNOWN_SERVER_ERROR);
  });

  it('coordinator APIs older than PRODUCER_FENCED answer INVALID_PRODUCER_EPOCH instead', () => {
    expect(coordinatorCode(ERROR_CODES.PRODUCER_FENCED, 1, 2)).toBe(ERROR_CODES.INVALID_PRODUCER_EPOCH);
    expect(coordinatorCode(ERROR_CODES.PRODUCER_FENCED, 2, 2)).toBe(ERROR_CODES.PRODUCER_FENCED);
    expect(coordinatorCode(ERROR_CODES.INVALID_TXN_STATE, 0, 2)).toBe(ERROR_CODES.INVALID_TXN_STATE);
  });
});
