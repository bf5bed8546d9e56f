/**
 * Runs every benchmark in bench/ one after another (each in its own process, so one cannot warm
 * up or starve another), shows their progress, and ends with one JSON line holding every bench's
 * final figures. Usage: `npm run bench` or `npx tsx bench/run-all.ts [name ...]`.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
if (wanted.includes('--help')) {
  console.log('usage: npm run bench [-- name ...]\nRuns bench/<name>.ts (all when none given) and prints a JSON summary as the last line.');
  process.exit(0);
}
const scripts = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

function runOne(name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    console.log(`\n== bench/${name}.ts ==`);
    const child = spawn(process.execPath, ['--conditions=kstreams-source', '--import', 'tsx', join(benchDir, `${name}.ts`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lastLine = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') lastLine = line;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending.trim() !== '') lastLine = pending;
      if (code !== 0) return reject(new Error(`bench/${name}.ts exited with code ${code}`));
      try {
        resolve(JSON.parse(lastLine));
      } catch {
        reject(new Error(`bench/${name}.ts did not end with a JSON line (got: ${lastLine.slice(0, 200)})`));
      }
    });
  });
}

const results: unknown[] = [];
for (const name of scripts) results.push(await runOne(name));
console.log(JSON.stringify({ bench: 'all', results }));
