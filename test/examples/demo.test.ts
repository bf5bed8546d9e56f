import { describe, expect, it } from 'vitest';
import { runNode } from '../support/run-node.ts';

const demo = (args: string[]) => runNode(['--conditions=kstreams-source', '--import', 'tsx', 'topology-examples/demo.ts', ...args]);

describe('the demo (npm start)', () => {
  it('produces, reads back and aggregates the orders with KafkaStreams, and checks the totals', async () => {
    const { code, stdout } = await demo(['--orders', '3000', '--users', '40', '--partitions', '3']);
    expect(code).toBe(0);
    expect(stdout).toContain("[1/4] creating topic 'orders' with 3 partitions");
    expect(stdout).toMatch(/read 3,000 records/);
    expect(stdout).toContain('40 users; top spenders:');
    expect(stdout).toContain("every total in 'user-totals' matches a direct sum of the orders");
  });

  it('refuses bad options with exit code 2 and points to --help', async () => {
    const { code, stderr } = await demo(['--orders', 'lots']);
    expect(code).toBe(2);
    expect(stderr).toContain("--orders must be a positive whole number, got 'lots'");
    expect(stderr).toContain('--help');
  });
});
