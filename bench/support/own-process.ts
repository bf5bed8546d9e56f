/**
 * Runs a bench script in a process of its own, under the same loader flags as the bench (tsx,
 * `--conditions=kstreams-source`), so a measured side holds only its workload's data and has
 * compiled only its workload's code, as a JVM per workload does on Kafka Streams' side.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './kafka-runs.ts';

/** What a measuring process prints on its last line: its runs, and how many input records each run read. */
export interface OwnProcessRuns {
  readonly runs: Measurement[];
  readonly records?: number;
}

/** Spawns `script` with `args`; resolves with the JSON object on its last line. */
export function runsInOwnProcess(script: URL, args: readonly string[]): Promise<OwnProcessRuns> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${fileURLToPath(script)} ${args.join(' ')} exited with code ${code}:\n${output.slice(-2_000)}`));
      else resolve(JSON.parse(output.trim().split('\n').pop()!) as OwnProcessRuns);
    });
  });
}
