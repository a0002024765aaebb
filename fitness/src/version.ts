import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** archfit's own version, from its package.json (src/ and dist/ both sit one folder below it). */
export function archfitVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
