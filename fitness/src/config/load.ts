import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { CACHE_VERSION, contentHash, readCache, writeCache } from '../cache/store.js';
import { importCompiledConfig } from './compiled.js';
import { ConfigError } from './errors.js';
import { resolveConfig } from './resolve.js';
import { ArchfitConfigSchema, type ArchfitConfig } from './schema.js';
import type { ConfigRule, ResolvedConfig } from './types.js';

/** Looked for in this order in each folder, from the working directory upwards. */
export const CONFIG_FILES = ['archfit.config.ts', 'archfit.config.mts', 'archfit.config.mjs', 'archfit.config.js', 'archfit.config.json'];

/** The config file directly in `root`, if any (no walking up). */
export function findConfigFile(root: string): string | undefined {
  return CONFIG_FILES.find((name) => existsSync(path.join(root, name)));
}

/**
 * Finds the config the way eslint or tsc find theirs: in `start`, else in the nearest parent
 * folder that has one. The walk stops at the first folder holding `.git` (a repository root),
 * so a stray config in a home folder never governs a checkout. The folder it is found in is the
 * repository root every path in the config is relative to.
 */
export function locateConfig(start: string): { root: string; file: string } | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const file = findConfigFile(dir);
    if (file) return { root: dir, file };
    const parent = path.dirname(dir);
    if (parent === dir || existsSync(path.join(dir, '.git'))) return undefined;
    dir = parent;
  }
}

/**
 * Reads the config file as written (no validation). TypeScript configs go through jiti, a
 * declared dependency: it transpiles once and keeps the output in its file cache keyed by the
 * source's content hash, so an unchanged config is not recompiled on the next run.
 */
export async function readConfigFile(absFile: string): Promise<unknown> {
  try {
    if (absFile.endsWith('.json')) return JSON.parse(await readFile(absFile, 'utf8'));
    let value: unknown;
    if (/\.[mc]?ts$/.test(absFile)) {
      const text = await readFile(absFile, 'utf8');
      // `import { defineConfig } from 'archfit'` would load the whole library (every rule, the
      // ADR and trigger code: ~0.8 s); a config that only needs defineConfig gets just that.
      const light = onlyDefineConfig(text);
      const compiled = await importCompiledConfig(absFile, text, light);
      if (compiled) value = compiled.default;
      else {
        // Loaded only for the TypeScript configs the compiled path cannot take (~40 ms to load).
        const [{ createJiti }, define] = await Promise.all([import('jiti'), import('./define.js')]);
        const jiti = createJiti(import.meta.url, { fsCache: true, moduleCache: false, ...(light ? { virtualModules: { archfit: define } } : {}) });
        value = await jiti.import(absFile, { default: true });
      }
    } else {
      value = ((await import(pathToFileURL(absFile).href)) as { default?: unknown }).default;
    }
    if (value === undefined) throw new ConfigError(`${path.basename(absFile)} has no default export`);
    return value;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot load ${path.basename(absFile)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** True when every import from `archfit` in the config text names only defineConfig or types. */
export function onlyDefineConfig(text: string): boolean {
  const fromArchfit = [...text.matchAll(/import\s+(type\s+)?([^'";]*?)\s+from\s*['"]archfit['"]/g)];
  if (/(?:import|require)\s*\(\s*['"]archfit['"]/.test(text)) return false;
  return fromArchfit.every(([, typeOnly, clause]) => {
    if (typeOnly) return true;
    const named = /^\{([^}]*)\}$/.exec(clause!.trim());
    if (!named) return false;
    return named[1]!
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .every((n) => /^defineConfig(\s+as\s+[\w$]+)?$/.test(n) || n.startsWith('type '));
  });
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
 * Loading jiti and evaluating a `.ts` config costs ~50 ms even when jiti's cache has the
 * compiled code. When the file imports nothing but `archfit` (so no other file can change
 * what it evaluates to) its validated value is cached by content hash as plain data and jiti
 * is not loaded at all. A config that imports anything else (`node:fs`, a sibling file) is
 * evaluated every run, from jiti's compiled-code cache.
 */
async function readValidated(absFile: string, absRoot: string, cacheOn = true): Promise<ArchfitConfig> {
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
  // With the cache off (`--no-cache` or `cache.enabled: false`) nothing is written.
  if (cacheable && cacheOn && config.cache?.enabled !== false) writeCache(cacheFile, { key, config });
  return config;
}

/**
 * Finds (from `start` upwards, see locateConfig), loads, validates and resolves the archfit
 * config. The resolved config's `root` is the folder the config file is in. Rule keys and
 * exemptions are checked against `options.rules`, handed in by the caller (the CLI, runCheck,
 * the package entry's `loadConfig`, which defaults to the built-in rules).
 * Throws ConfigError (the CLI exits 2) with a message naming the key at fault.
 */
export async function loadConfig(start: string, options: { rules: readonly ConfigRule[]; cache?: boolean }): Promise<ResolvedConfig> {
  const absStart = path.resolve(start);
  const found = locateConfig(absStart);
  if (!found) {
    throw new ConfigError(`no ${CONFIG_FILES.join(' / ')} in ${absStart} or a parent folder; run \`archfit init\` to write one`);
  }
  const config = await readValidated(path.join(found.root, found.file), found.root, options.cache !== false);
  return resolveConfig(config, found.root, found.file, options.rules);
}
