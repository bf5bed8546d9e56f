#!/usr/bin/env node
// The `kstreams` command. Registers tsx so users' TypeScript apps (`kstreams run app.ts`) load
// without a build step, then hands over to the command line: the compiled JavaScript in dist/ in
// an installed package, the TypeScript sources in a checkout of the repository (which has src/;
// the package ships none), so the command there always runs the code being edited — and apps in
// the checkout that import 'kstreams' get the same sources, through the "kstreams-source" export
// condition, so both sides share one copy of every class.
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

const sourceMain = new URL('../src/cli/main.ts', import.meta.url);
const fromSource = existsSync(sourceMain);
register();
if (fromSource) {
  const addSourceCondition = 'export const resolve = (specifier, context, next) => next(specifier, { ...context, conditions: [...context.conditions, "kstreams-source"] });';
  registerHooks(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
}
const { runProcess } = await import(fromSource ? sourceMain.href : new URL('../dist/cli/main.js', import.meta.url).href);
process.exitCode = await runProcess(process.argv.slice(2));
