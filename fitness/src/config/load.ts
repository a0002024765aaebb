import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { CACHE_VERSION, contentHash, readCache, writeCache } from '../cache/store.js';
import { rules as registeredRules } from '../rules/index.js';
import type { Rule } from '../rules/types.js';
import { ConfigError } from './errors.js';
import { resolveConfig } from './resolve.js';
import { ArchfitConfigSchema, type ArchfitConfig } from './schema.js';
import type { ResolvedConfig } from './types.js';

/** Looked for in this order at the repository root. */
export const CONFIG_FILES = ['archfit.config.ts', 'archfit.config.mts', 'archfit.config.mjs', 'archfit.config.js', 'archfit.config.json'];

export function findConfigFile(root: string): string | undefined {
  return CONFIG_FILES.find((name) => existsSync(path.join(root, name)));
}

/** Reads the config file as written (no validation). `.ts` goes through tsx's loader. */
export async function readConfigFile(absFile: string): Promise<unknown> {
  try {
    if (absFile.endsWith('.json')) return JSON.parse(await readFile(absFile, 'utf8'));
    let mod: { default?: unknown };
    if (/\.[mc]?ts$/.test(absFile)) {
      // Loaded only for TypeScript configs: tsx costs ~100 ms to start.
      const { tsImport } = await import('tsx/esm/api');
      mod = (await tsImport(pathToFileURL(absFile).href, import.meta.url)) as { default?: unknown };
    } else {
      mod = (await import(pathToFileURL(absFile).href)) as { default?: unknown };
    }
    // tsx may wrap a CommonJS-looking default twice.
    let value = mod.default;
    if (value && typeof value === 'object' && 'default' in value && !('modules' in value)) {
      value = (value as { default: unknown }).default;
    }
    if (value === undefined) throw new ConfigError(`${path.basename(absFile)} has no default export`);
    return value;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot load ${path.basename(absFile)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Validates a config object against the schema; the error names the offending key. */
export function validateConfig(value: unknown): ArchfitConfig {
  if (Value.Check(ArchfitConfigSchema, value)) return value;
  const first = Value.Errors(ArchfitConfigSchema, value).First();
  if (!first) throw new ConfigError('invalid config');
  const error = innermost(first);
  const key = pointerToKey(error.path);
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    throw new ConfigError('unknown key', key);
  }
  throw new ConfigError(`${error.message} (got ${JSON.stringify(error.value)})`, key);
}

/** `/modules/0/glob` -> `modules[0].glob`, the way the other config errors name keys. */
function pointerToKey(pointer: string): string {
  const segments = pointer.split('/').slice(1);
  if (segments.length === 0) return '(root)';
  return segments.reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/**
 * A union (module by glob or by name) reports only "expected union value"; descend into the
 * variant that got furthest so the message names the real key.
 */
function innermost(error: ValueError): ValueError {
  if (error.type !== ValueErrorType.Union || error.errors.length === 0) return error;
  let best: ValueError | undefined;
  for (const variant of error.errors) {
    const all = [...variant];
    // Prefer a variant whose only complaints are about keys it does not know or lacks.
    const candidate = all.find((e) => e.type !== ValueErrorType.ObjectRequiredProperty) ?? all[0];
    if (!candidate) continue;
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best ? innermost(best) : error;
}

/**
 * A `.ts` config costs ~0.3-0.5 s to compile through tsx, more than an unchanged check. Its
 * validated value is cached by content hash when the file imports nothing but `archfit`
 * (so no other file can change what it evaluates to); the cache is plain data.
 */
async function readValidated(absFile: string, absRoot: string): Promise<ArchfitConfig> {
  if (!/\.[mc]?ts$/.test(absFile)) return validateConfig(await readConfigFile(absFile));
  const text = await readFile(absFile, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
  const cacheable = specifiers.every((s) => s === 'archfit') && !/process\.env|Date\.|Math\.random/.test(text);
  const cacheFile = path.join(absRoot, '.archfit-cache', 'config.json');
  const key = contentHash(`${CACHE_VERSION}:${text}`);
  if (cacheable) {
    const hit = readCache<{ key: string; config: ArchfitConfig }>(cacheFile);
    if (hit?.key === key) return hit.config;
  }
  const config = validateConfig(await readConfigFile(absFile));
  if (cacheable) writeCache(cacheFile, { key, config });
  return config;
}

/**
 * Finds, loads, validates and resolves the archfit config at `root`.
 * Throws ConfigError (the CLI exits 2) with a message naming the key at fault.
 */
export async function loadConfig(root: string, options: { rules?: readonly Rule[] } = {}): Promise<ResolvedConfig> {
  const absRoot = path.resolve(root);
  const file = findConfigFile(absRoot);
  if (!file) throw new ConfigError(`no ${CONFIG_FILES.join(' / ')} in ${absRoot}`);
  const config = await readValidated(path.join(absRoot, file), absRoot);
  return resolveConfig(config, absRoot, file, options.rules ?? registeredRules);
}
