import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Bumped whenever a cached shape changes, so an old cache is ignored instead of misread. */
export const CACHE_VERSION = 4;

export function contentHash(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('base64url');
}

export function readCache<T>(file: string): T | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; payload?: T };
    return data.version === CACHE_VERSION ? data.payload : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temp file then renamed, so a killed run never leaves a half-written cache. */
export function writeCache(file: string, payload: unknown): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: CACHE_VERSION, payload }));
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs speed next time.
  }
}
