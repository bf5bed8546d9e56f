import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { StreamsError } from '../../../src/index.ts';
import { PortRpc } from '../../../src/runtime/worker/port-rpc.ts';

/** Calls across a MessagePort: results come back, and a StreamsError stays one, with its code and location. */
describe('PortRpc', () => {
  it('answers calls, carries events, and rebuilds a StreamsError on the calling side', async () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const caller = new PortRpc(port1);
      const callee = new PortRpc(port2);
      callee.serve({
        add: (a: number, b: number) => a + b,
        refuse: async () => {
          throw new StreamsError('UNKNOWN_TOPIC', 'topic "x" does not exist', { location: { topic: 'x', partition: 2 } });
        },
      });
      const heard = new Promise((resolve) => caller.on('status', resolve));
      callee.emit('status', { restores: [] });
      expect(await caller.call('add', [2, 3])).toBe(5);
      expect(await heard).toEqual({ restores: [] });
      const refused = await caller.call('refuse').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StreamsError);
      expect((refused as StreamsError).code).toBe('UNKNOWN_TOPIC');
      expect((refused as StreamsError).location).toEqual({ topic: 'x', partition: 2 });
      await expect(caller.call('missing')).rejects.toThrow(/no method "missing"/);
    } finally {
      port1.close();
      port2.close();
    }
  });
});
