#!/usr/bin/env node
// The `kstreams` command: registers tsx so the TypeScript sources (and users' app.ts files) run
// on Node 20 without a build step, then hands over to src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
