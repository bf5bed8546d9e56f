export * from '../../src/protocol/index.ts';
import { isStreamsError } from '../../src/common/index.ts';

export function isStreamsErrorCode(error: unknown, code: string): boolean {
  return isStreamsError(error) && error.code === code;
}
