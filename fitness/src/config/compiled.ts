import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentHash } from '../cache/store.js';

/** Compiled files imported by this process, and how often. */
const imported = new Map<string, number>();

/** Bumped when the compiled form changes. */
const COMPILED_VERSION = 1;

/**
 * A `.ts` config that imports only Node builtins (`node:fs`, …) and `defineConfig` from
 * archfit is compiled once to plain ESM, kept under the OS temp folder by content hash, and
 * imported natively on every later run: no loader (jiti costs ~40 ms to load even when its own
 * cache has the code), no recompilation. It must still be evaluated every run, since what it
 * reads from disk may have changed. Anything else (a sibling `.ts` file, a package, `require`)
 * returns undefined and goes through jiti.
 */
export async function importCompiledConfig(absFile: string, text: string, onlyDefineConfig: boolean): Promise<{ default?: unknown } | undefined> {
  if (!onlyDefineConfig || /\brequire\s*\(|__dirname|__filename|import\.meta\.(?!url\b)/.test(text)) return undefined;
  const specifiers = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  if (!specifiers.every((s) => s === 'archfit' || s.startsWith('node:'))) return undefined;

  const dir = path.join(os.tmpdir(), `archfit-config-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);
  const out = path.join(dir, `${contentHash(`${COMPILED_VERSION}:${absFile}:${text}`)}.mjs`);
  if (!existsSync(out)) {
    // Only on a miss (the config changed): TypeScript strips the types.
    const { ts } = await import('ts-morph');
    const js = ts.transpileModule(text, {
      fileName: absFile,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
    }).outputText;
    const compiled = js
      // defineConfig is the identity: no need to load the library for it.
      .replace(/import\s*\{([^}]*)\}\s*from\s*['"]archfit['"];?/g, (_, names: string) =>
        names
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
          .map((n) => `const ${n.split(/\s+as\s+/).pop()} = (config) => config;`)
          .join(' '),
      )
      // The compiled file lives elsewhere: paths relative to the config keep meaning the config's.
      .replace(/import\.meta\.url/g, JSON.stringify(pathToFileURL(absFile).href));
    mkdirSync(dir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, compiled);
    renameSync(tmp, out);
  }
  // A second load in the same process must evaluate again (the config reads the disk): a
  // fresh query string defeats the ESM module cache.
  const seen = (imported.get(out) ?? 0) + 1;
  imported.set(out, seen);
  return (await import(`${pathToFileURL(out).href}${seen > 1 ? `?run=${seen}` : ''}`)) as { default?: unknown };
}
