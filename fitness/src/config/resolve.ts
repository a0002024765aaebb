import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import picomatch from 'picomatch';
import { ConfigError } from './errors.js';
import type { ArchfitConfig, RuleSettingInput } from './schema.js';
import type {
  ConfigRule,
  ResolvedConfig,
  ResolvedContext,
  ResolvedLayers,
  ResolvedModule,
  ResolvedRuleSetting,
} from './types.js';

// Loaded on first use: most configs glob nothing here (no exemptions, no route files), and loading the glob
// library is ~10 ms of an unchanged run's start-up.
const globSync = (patterns: string | readonly string[], options: import('tinyglobby').GlobOptions): string[] =>
  (createRequire(import.meta.url)('tinyglobby') as typeof import('tinyglobby')).globSync(patterns, options);

/** Source files scanned unless `include` says otherwise. */
export const DEFAULT_INCLUDE = ['**/*.{ts,tsx,mts,cts}'];
/** Never scanned: dependencies, build output, declarations, tests and their fixtures. */
export const DEFAULT_EXCLUDE = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/coverage/**',
  '**/*.d.ts',
  '**/test/**',
  '**/tests/**',
  '**/__tests__/**',
  '**/*.test.*',
  '**/*.spec.*',
  '.archfit-cache/**',
];

/** Rules whose default ignores type-only edges (a type-only cycle costs nothing at runtime). */
const TYPE_ONLY_IGNORED_BY_DEFAULT = new Set(['no-module-cycle']);

/** Repo-relative, forward slashes, no `./` prefix or trailing slash. */
export function normalizeRel(p: string): string {
  const posix = path.posix.normalize(p.replaceAll('\\', '/'));
  return posix.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
}

function isDir(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The folders a glob names, matched exactly (picomatch, as `include` is): `src/modules/*`
 * is every folder directly in src/modules, `src/modules/{orders,catalog}` exactly those two,
 * and a plain folder is that folder; never their sub-folders too.
 */
function folders(root: string, glob: string): string[] {
  const pattern = normalizeRel(glob);
  const match = picomatch(pattern, { dot: false });
  const scan = picomatch.scan(pattern);
  const base = scan.base || '.';
  // No wildcard below the static base: the base itself is the only candidate.
  const maxDepth = !scan.isGlob ? 0 : pattern.includes('**') ? Infinity : pattern.split('/').length - (base === '.' ? 0 : base.split('/').length);
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (rel !== '.' && match(rel)) out.push(rel);
    if (depth >= maxDepth) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') walk(rel === '.' ? e.name : `${rel}/${e.name}`, depth + 1);
    }
  };
  if (!scan.isGlob) return isDir(path.join(root, pattern)) ? [pattern] : [];
  walk(base, 0);
  return out.sort();
}

/** A `{ glob }` entry names one item per matching folder; a `{ name, root }` entry one item. */
function expandFolders(
  entry: { glob: string } | { name: string; root: string },
  root: string,
  key: string,
): { name: string; root: string }[] {
  if ('glob' in entry) {
    const dirs = folders(root, entry.glob);
    if (dirs.length === 0) throw new ConfigError(`"${entry.glob}" matches no folder`, `${key}.glob`);
    return dirs.map((dir) => ({ name: path.posix.basename(dir), root: dir }));
  }
  const rel = normalizeRel(entry.root);
  if (!isDir(path.join(root, rel))) throw new ConfigError(`folder "${rel}" does not exist`, `${key}.root`);
  return [{ name: entry.name, root: rel }];
}

/** Stops at the first TypeScript or JavaScript file under `dir` (no full glob needed). */
function hasSourceFile(dir: string): boolean {
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.isFile() && /\.[cm]?[jt]sx?$/.test(entry.name)) return true;
      if (entry.isDirectory() && entry.name !== 'node_modules') stack.push(path.join(current, entry.name));
    }
  }
  return false;
}

/**
 * Expands globs and applies defaults. Throws ConfigError (exit 2) naming the key for every way a
 * config can make a rule pass vacuously: a glob or folder that matches nothing, a module
 * declared twice, a dependency or tag on an unknown module, a layer no module has.
 */
export function resolveConfig(
  input: ArchfitConfig,
  root: string,
  configFile: string,
  rules: readonly ConfigRule[],
): ResolvedConfig {
  const include = (input.include ?? DEFAULT_INCLUDE).map(normalizeRel);
  const exclude = [...DEFAULT_EXCLUDE, ...(input.exclude ?? []).map(normalizeRel)];
  // That `include` matches at least one file is checked when the graph is built (one walk).

  const tsconfig = resolveTsconfigs(input, root);
  const layers = resolveLayerNames(input);
  const modules = resolveModules(input, root, layers);
  checkLayersUsed(layers, modules);
  const sharedKernel = (input.sharedKernel ?? []).map((dir, i) => {
    const rel = normalizeRel(dir);
    if (!isDir(path.join(root, rel))) throw new ConfigError(`folder "${rel}" does not exist`, `sharedKernel[${i}]`);
    if (!hasSourceFile(path.join(root, rel))) {
      throw new ConfigError(`folder "${rel}" holds no source file`, `sharedKernel[${i}]`);
    }
    return rel;
  });
  const contexts = resolveContexts(input, root);
  checkOverlaps(modules, contexts, sharedKernel);

  const knownRules = new Map(rules.map((r) => [r.id, r]));
  const ruleSettings: Record<string, ResolvedRuleSetting> = {};
  for (const rule of rules) ruleSettings[rule.id] = resolveRuleSetting(rule, input.rules?.[rule.id]);
  for (const id of Object.keys(input.rules ?? {})) {
    if (!knownRules.has(id)) {
      throw new ConfigError(`unknown rule "${id}"; known rules: ${[...knownRules.keys()].join(', ')}`, `rules.${id}`);
    }
  }

  const exemptions = (input.exemptions ?? []).map((e, i) => {
    const key = `exemptions[${i}]`;
    if (!knownRules.has(e.rule)) throw new ConfigError(`unknown rule "${e.rule}"`, `${key}.rule`);
    if (!e.reason.trim()) throw new ConfigError('an exemption needs a reason', `${key}.reason`);
    const file = normalizeRel(e.file);
    if (globSync(file, { cwd: root, ignore: ['**/node_modules/**'] }).length === 0) {
      throw new ConfigError(`"${file}" matches no file (a stale exemption?)`, `${key}.file`);
    }
    return { rule: e.rule, file, ...(e.to ? { to: e.to } : {}), reason: e.reason.trim() };
  });

  return {
    root,
    configFile,
    include,
    exclude,
    tsconfig,
    modules,
    layers,
    sharedKernel,
    contexts,
    rules: ruleSettings,
    exemptions,
    baseline: normalizeRel(input.baseline ?? 'archfit-baseline.json'),
    cache: { enabled: input.cache?.enabled ?? true, dir: normalizeRel(input.cache?.dir ?? '.archfit-cache') },
    adr: {
      dir: normalizeRel(input.adr?.dir ?? 'adr'),
      ...(input.adr?.naming ? { naming: input.adr.naming } : {}),
      ...(input.adr?.requireConfirmation !== undefined ? { requireConfirmation: input.adr.requireConfirmation } : {}),
    },
    load: {
      scenarios: normalizeRel(input.load?.scenarios ?? 'load/scenarios'),
      results: normalizeRel(input.load?.results ?? 'load/results'),
    },
    triggers: {
      evidenceMaxAgeDays: input.triggers?.evidenceMaxAgeDays ?? 30,
      ...(input.triggers?.evidence ? { evidence: input.triggers.evidence } : {}),
      ...(input.triggers?.observed ? { observed: Object.fromEntries(Object.entries(input.triggers.observed).map(([k, v]) => [k, normalizeRel(v)])) } : {}),
    },
    ...(input.data ? { data: { reads: input.data.reads ?? {}, schemas: input.data.schemas ?? {}, sql: input.data.sql ?? ['infrastructure/**'] } } : {}),
  };
}

/**
 * A file must belong to one place: a module root inside another module root, a context or
 * the shared kernel inside a module (or a module inside them) would make the nearest one win
 * silently and hide every edge between them. Each is a config error (exit 2).
 */
function checkOverlaps(modules: ResolvedModule[], contexts: ResolvedContext[], sharedKernel: string[]): void {
  const within = (inner: string, outer: string) => outer === '.' || inner === outer || inner.startsWith(`${outer}/`);
  const places = [
    ...modules.map((m) => ({ label: `module "${m.name}"`, root: m.root, kind: 'module' })),
    ...contexts.map((c) => ({ label: `context "${c.name}"`, root: c.root, kind: 'context' })),
    ...sharedKernel.map((dir, i) => ({ label: `shared kernel folder "${dir}"`, root: dir, kind: `sharedKernel[${i}]` })),
  ];
  for (let i = 0; i < places.length; i++) {
    for (let j = 0; j < places.length; j++) {
      const a = places[i]!;
      const b = places[j]!;
      if (i === j || (a.kind !== 'module' && b.kind !== 'module' && !(a.kind === 'context' && b.kind === 'context'))) continue;
      if (within(a.root, b.root) && (a.root !== b.root || i > j)) {
        const key = a.kind === 'module' ? 'modules' : a.kind === 'context' ? 'contexts' : a.kind;
        throw new ConfigError(`${a.label} (${a.root}) lies inside ${b.label} (${b.root}): every file must belong to one place`, key);
      }
    }
  }
}

function resolveTsconfigs(input: ArchfitConfig, root: string): string[] {
  if (input.tsconfig) {
    return input.tsconfig.map((file, i) => {
      const rel = normalizeRel(file);
      if (!existsSync(path.join(root, rel))) throw new ConfigError(`"${rel}" does not exist`, `tsconfig[${i}]`);
      return rel;
    });
  }
  // Default: none listed. The graph finds each file's governing tsconfig the way TypeScript
  // does (nearest tsconfig.json at any depth, its references, include/files).
  return [];
}

function resolveLayerNames(input: ArchfitConfig): ResolvedLayers {
  const layers = input.layers;
  if (!layers) return { names: [], folders: {}, allowed: {}, packages: {}, private: [] };
  const names = Object.keys(layers.allowed);
  const known = new Set(names);
  for (const [layer, targets] of Object.entries(layers.allowed)) {
    targets.forEach((t, i) => {
      if (!known.has(t)) throw new ConfigError(`unknown layer "${t}"; declared: ${names.join(', ')}`, `layers.allowed.${layer}[${i}]`);
    });
  }
  for (const section of ['folders', 'packages'] as const) {
    for (const layer of Object.keys(layers[section] ?? {})) {
      if (!known.has(layer)) throw new ConfigError(`unknown layer "${layer}"`, `layers.${section}.${layer}`);
    }
  }
  (layers.private ?? []).forEach((layer, i) => {
    if (!known.has(layer)) throw new ConfigError(`unknown layer "${layer}"`, `layers.private[${i}]`);
  });
  const folders: Record<string, string> = {};
  for (const name of names) folders[name] = normalizeRel(layers.folders?.[name] ?? name);
  return {
    names,
    folders,
    allowed: { ...layers.allowed },
    packages: { ...(layers.packages ?? {}) },
    private: layers.private ?? names.filter((n) => n === 'domain' || n === 'infrastructure'),
  };
}

function resolveModules(input: ArchfitConfig, root: string, layers: ResolvedLayers): ResolvedModule[] {
  const declaredAt = new Map<string, string>();
  const found: { name: string; root: string; publicEntries: string[]; key: string }[] = [];
  input.modules.forEach((entry, i) => {
    const key = `modules[${i}]`;
    const entries = entry.publicEntries ?? ['index.ts'];
    const roots = expandFolders(entry, root, key);
    for (const m of roots) {
      const previous = declaredAt.get(m.name);
      if (previous) throw new ConfigError(`module "${m.name}" is declared twice (also by ${previous})`, key);
      declaredAt.set(m.name, key);
      const publicEntries = entries.map((e) => `${m.root}/${normalizeRel(e)}`);
      for (const file of publicEntries) {
        if (!existsSync(path.join(root, file))) {
          throw new ConfigError(`public entry "${file}" of module "${m.name}" does not exist`, `${key}.publicEntries`);
        }
      }
      found.push({ ...m, publicEntries, key });
    }
  });

  const names = new Set(found.map((m) => m.name));
  for (const [from, targets] of Object.entries(input.dependencies ?? {})) {
    if (!names.has(from)) throw new ConfigError(`unknown module "${from}"`, `dependencies.${from}`);
    targets.forEach((t, i) => {
      if (!names.has(t)) throw new ConfigError(`unknown module "${t}"; modules: ${[...names].join(', ')}`, `dependencies.${from}[${i}]`);
      if (t === from) throw new ConfigError(`module "${from}" cannot depend on itself`, `dependencies.${from}[${i}]`);
    });
  }
  for (const name of Object.keys(input.tags ?? {})) {
    if (!names.has(name)) throw new ConfigError(`unknown module "${name}"`, `tags.${name}`);
  }

  return found.map((m) => ({
    name: m.name,
    root: m.root,
    publicEntries: m.publicEntries,
    layers: layers.names.filter((l) => isDir(path.join(root, m.root, layers.folders[l] ?? l))),
    allowedDependencies: [...(input.dependencies?.[m.name] ?? [])].sort(),
    tags: [...(input.tags?.[m.name] ?? [])],
  }));
}

function checkLayersUsed(layers: ResolvedLayers, modules: ResolvedModule[]): void {
  for (const layer of layers.names) {
    if (!modules.some((m) => m.layers.includes(layer))) {
      throw new ConfigError(`no module has a "${layers.folders[layer]}" folder`, `layers.allowed.${layer}`);
    }
  }
}

function resolveContexts(input: ArchfitConfig, root: string): ResolvedContext[] {
  const seen = new Map<string, string>();
  const out: ResolvedContext[] = [];
  (input.contexts ?? []).forEach((entry, i) => {
    const key = `contexts[${i}]`;
    const found = expandFolders(entry, root, key);
    const templates = (entry.routeFiles ?? []).map(normalizeRel);
    let templateHits = 0;
    for (const c of found) {
      const previous = seen.get(c.name);
      if (previous) throw new ConfigError(`context "${c.name}" is declared twice (also by ${previous})`, key);
      seen.set(c.name, key);
      const routeFiles = templates.map((t) => t.replaceAll('{context}', c.name));
      const hasRouteFiles = routeFiles.length > 0 && globSync(routeFiles, { cwd: root }).length > 0;
      if (hasRouteFiles) templateHits++;
      // An empty context folder (git does not even keep one) would let context rules pass vacuously.
      if (!hasRouteFiles && !hasSourceFile(path.join(root, c.root))) {
        throw new ConfigError(`context "${c.name}": ${c.root} holds no source file and no route file names it`, `${key}.glob`);
      }
      out.push({ name: c.name, root: c.root, routeFiles: [`${c.root}/**`, ...routeFiles] });
    }
    if (templates.length > 0 && templateHits === 0) {
      throw new ConfigError(`${JSON.stringify(templates)} matches no file for any context`, `${key}.routeFiles`);
    }
  });
  return out;
}

function resolveRuleSetting(rule: ConfigRule, setting: RuleSettingInput | undefined): ResolvedRuleSetting {
  const typeOnlyDefault = TYPE_ONLY_IGNORED_BY_DEFAULT.has(rule.id) ? 'ignore' : 'count';
  const obj = typeof setting === 'string' ? { severity: setting } : (setting ?? {});
  const level = obj.severity ?? rule.severity;
  return {
    enabled: level !== 'off',
    severity: level === 'off' ? rule.severity : level,
    typeOnly: obj.typeOnly ?? typeOnlyDefault,
  };
}
