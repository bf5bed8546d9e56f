import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kstreams.js');

/** A `kstreams broker` child process on a free port, serving `dataDir`. */
export interface BrokerProcess {
  readonly port: number;
  readonly bootstrap: string;
  /** Everything the broker printed so far (stdout and stderr: its log lines). */
  output(): string;
  /** Sends SIGTERM (once) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `kstreams broker --port 0` (with `extraArgs`, e.g. security flags) and resolves once it says which port it listens on. */
export async function startBrokerProcess(dataDir: string, partitions = 2, extraArgs: readonly string[] = []): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [BIN, 'broker', '--port', '0', '--data-dir', dataDir, '--partitions', String(partitions), ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match !== null) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`broker exited early (${code}): ${output}`)));
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    port,
    bootstrap: `127.0.0.1:${port}`,
    output: () => output,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
