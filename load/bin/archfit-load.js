#!/usr/bin/env node
// `archfit-load` (and `archfit load <definition.json>`, which finds this package from the
// project and runs this file). In an archfit checkout the TypeScript source runs under tsx, so
// edits need no build; an installed package runs its compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../runner/http-mix-cli.ts', import.meta.url);
const built = new URL('../dist/runner/http-mix-cli.js', import.meta.url);
let entry;
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = source;
} else if (existsSync(fileURLToPath(built))) {
  entry = built;
} else {
  process.stderr.write('archfit-load: neither dist/runner/http-mix-cli.js nor the source is here; reinstall @archfit/load (or run `npm run build -w load` in the archfit repository).\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
