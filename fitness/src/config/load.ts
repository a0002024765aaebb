import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE_VERSION, contentHash, readCache, writeCache } from '../cache/store.js';
import { importCompiledConfig } from './compiled.js';
import { ConfigError } from './errors.js';
import { resolveConfig } from './resolve.js';
import type { ArchfitConfig } from './schema.js';
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

/** Counts config imports, so each gets a URL Node has not cached (see readConfigFile). */
let loads = 0;

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
      // A fresh URL per load: Node keeps an imported module for the life of the process, and a
      // long-lived caller (a watcher, a test) must see the config as it is now.
      value = ((await import(`${pathToFileURL(absFile).href}?load=${++loads}`)) as { default?: unknown }).default;
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

/**
 * Loading jiti and evaluating a `.ts` config costs ~50 ms even when jiti's cache has the
 * compiled code, and the schema validator's modules cost more than that to load. So the
 * validated value is cached in `.archfit-cache/config.json`:
 * - by the file's content hash, when nothing but the text decides the value (a JSON config, or
 *   a `.ts` one that imports nothing but `archfit`): then the file is not evaluated at all;
 * - else (a config importing `node:fs` or a sibling file) the file is evaluated every run and
 *   validated again only when its value differs from the one last validated.
 * Only a valid config is cached, so an invalid one is reported every run.
 */
async function readValidated(absFile: string, absRoot: string, cacheOn = true): Promise<ArchfitConfig> {
  const text = await readFile(absFile, 'utf8');
  const isTs = /\.[mc]?ts$/.test(absFile);
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
  const textDecides = absFile.endsWith('.json') || (isTs && specifiers.every((s) => s === 'archfit') && !/process\.env|Date\.|Math\.random/.test(text));
  const cacheFile = path.join(absRoot, '.archfit-cache', 'config.json');
  const key = contentHash(`${CACHE_VERSION}:${absFile}:${text}`);
  const hit = cacheOn ? readCache<{ key: string; valueKey?: string; config: ArchfitConfig }>(cacheFile) : undefined;
  if (textDecides && hit?.key === key) return hit.config;
  const value = await readConfigFile(absFile);
  const valueKey = contentHash(`${CACHE_VERSION}:${JSON.stringify(value, exactly)}`);
  if (hit?.valueKey === valueKey) return hit.config;
  const { validateConfig } = await import('./validate.js');
  const config = validateConfig(value);
  // With the cache off (`--no-cache` or `cache.enabled: false`) nothing is written.
  if (cacheOn && config.cache?.enabled !== false) writeCache(cacheFile, { key, valueKey, config });
  return config;
}

/**
 * JSON.stringify drops functions and undefined and flattens a RegExp to `{}`: a value that is
 * not plain data is spelled out instead, so it can never hash like a valid config it is not.
 */
function exactly(_key: string, v: unknown): unknown {
  if (v === undefined || typeof v === 'function' || typeof v === 'bigint' || typeof v === 'symbol') return `\u0000${typeof v}:${String(v)}`;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) {
    return `\u0000${Object.prototype.toString.call(v)}:${String(v)}`;
  }
  return v;
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
