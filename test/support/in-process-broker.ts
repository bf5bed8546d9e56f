import { join } from 'node:path';
import { KafkaBroker, LogEngine } from '../../src/index.ts';

/**
 * A `kstreams broker` in this process on a free loopback port, over a log engine in `dir/broker`;
 * `cleanup` receives the steps that close both.
 */
export async function startInProcessBroker(dir: string, cleanup: Array<() => Promise<unknown>>): Promise<{ engine: LogEngine; port: number; bootstrap: string }> {
  const engine = await LogEngine.open({ dataDir: join(dir, 'broker') });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  return { engine, port, bootstrap: `127.0.0.1:${port}` };
}
