import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Loaded on first use: a repository without workspaces globs nothing here, and loading the
// glob library is ~10 ms of an unchanged run's start-up.
const globSync = (patterns: string | readonly string[], options: import('tinyglobby').GlobOptions): string[] =>
  (createRequire(import.meta.url)('tinyglobby') as typeof import('tinyglobby')).globSync(patterns, options);

// The YAML parser is loaded only for a pnpm workspace: on every other repository its 40-odd
// modules would be a sizeable share of an unchanged, fully cached run.
const requireYaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** Workspace package name -> repo-relative folder, from package.json `workspaces` or pnpm-workspace.yaml. */
export function findWorkspacePackages(root: string): Map<string, string> {
  const patterns: string[] = [];
  const rootPkg = readJson(path.join(root, 'package.json')) as { workspaces?: string[] | { packages?: string[] } } | undefined;
  const ws = rootPkg?.workspaces;
  if (Array.isArray(ws)) patterns.push(...ws);
  else if (ws?.packages) patterns.push(...ws.packages);
  const pnpm = path.join(root, 'pnpm-workspace.yaml');
  if (existsSync(pnpm)) {
    const doc = requireYaml().parse(readFileSync(pnpm, 'utf8')) as { packages?: string[] } | null;
    patterns.push(...(doc?.packages ?? []));
  }
  const out = new Map<string, string>();
  if (patterns.length === 0) return out;
  // `!packages/legacy` excludes, as in npm, yarn and pnpm.
  const dirs = globSync(
    patterns.filter((p) => !p.startsWith('!')),
    { cwd: root, onlyDirectories: true, ignore: ['**/node_modules/**', ...patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))] },
  );
  for (const dir of dirs) {
    const rel = dir.replace(/\/+$/, '');
    const pkg = readJson(path.join(root, rel, 'package.json')) as { name?: string } | undefined;
    if (pkg?.name) out.set(pkg.name, rel);
  }
  return out;
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
