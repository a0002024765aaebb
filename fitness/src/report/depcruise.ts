import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ImportGraph } from '../graph/types.js';
import type { ResolvedConfig } from '../config/types.js';

/** The subset of dependency-cruiser's config shape this module emits. */
export interface DepcruiseRule {
  name: string;
  severity: 'error' | 'warn' | 'info';
  comment: string;
  from: Record<string, unknown>;
  to: Record<string, unknown>;
}
export interface DepcruiseConfig {
  forbidden: DepcruiseRule[];
  options: Record<string, unknown>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const under = (dirs: string[]) => `^(${dirs.map(escape).join('|')})/`;
/**
 * A plain glob -> regex translation (`**`, `*`, `?`, `{a,b}`). picomatch's regexes are exact
 * but so elaborate that dependency-cruiser's safe-regex check refuses them.
 */
export function globRe(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(.+/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(';
    else if (c === '}') out += ')';
    else if (c === ',') out += '|';
    else out += escape(c);
  }
  return `^${out}$`;
}
const NPM_TYPES = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown', 'core'];

/**
 * Exclusion globs as unanchored regexes without nested quantifiers (`**\/test/**` ->
 * `(^|/)test/`), which dependency-cruiser's safe-regex check accepts.
 */
function excludeRe(glob: string): string {
  let g = glob;
  let prefix = '^';
  let suffix = '$';
  if (g.startsWith('**/')) {
    g = g.slice(3);
    prefix = '(^|/)';
  }
  if (g.endsWith('/**')) {
    g = g.slice(0, -3);
    suffix = '/';
  }
  return prefix + globRe(g).slice(1, -1) + suffix;
}

/**
 * An include glob as a regex dependency-cruiser's safe-regex check accepts: `**\/*` becomes `.*`
 * (the same set of paths) instead of the nested `(.+/)?[^/]*`.
 */
function includeRe(glob: string): string {
  const parts = glob.split('**/*');
  return `^${parts.map((p) => globRe(p).slice(1, -1)).join('.*')}$`;
}

/** A package glob (`@sinclair/*`, `node:crypto`) as a regex on dependency-cruiser's resolved path. */
function packageRe(glob: string): string {
  const body = (g: string) => escape(g).replaceAll('\\*', '[^/]*');
  if (glob.startsWith('node:')) return `^(node:)?${body(glob.slice(5))}$`;
  return `(^|/)node_modules/${body(glob)}(/|$)`;
}

/**
 * Builds a dependency-cruiser config from the same module map `archfit check` enforces, so a
 * team already running `depcruise` keeps one source of truth. It covers the import rules
 * (module-boundary, no-undeclared-module-dependency, layer-direction, context-isolation) and
 * approximates no-module-cycle with a file-level `circular` rule (dependency-cruiser has no
 * module-level cycles). The symbol rules (public-api-leak, route-declares-auth) need ts-morph
 * and have no dependency-cruiser form.
 *
 * dependency-cruiser resolves every file with one tsconfig (the root tsconfig.json) and one set
 * of conditions. Given the import graph, what the bridge cannot express (the aliases of every
 * other governing tsconfig, per-file module formats, exemptions scoped to a target) is stated
 * in an `info` rule of the generated config.
 */
export function toDependencyCruiserConfig(config: ResolvedConfig, graph?: ImportGraph): DepcruiseConfig {
  const forbidden: DepcruiseRule[] = [];
  const setting = (id: string) => config.rules[id] ?? { enabled: true, severity: 'error' as const, typeOnly: 'count' as const };
  const comment = (id: string, why: string) => `${id}: ${why}`;
  const typeFilter = (id: string) => (setting(id).typeOnly === 'ignore' ? { dependencyTypesNot: ['type-only'] } : {});
  const rule = (id: string, suffix: string, why: string, from: Record<string, unknown>, to: Record<string, unknown>) => {
    if (!setting(id).enabled) return;
    forbidden.push({ name: `${id}/${suffix}`, severity: setting(id).severity, comment: comment(id, why), from, to: { ...to, ...typeFilter(id) } });
  };
  const modules = config.modules;
  const roots = modules.map((m) => m.root);

  for (const m of modules) {
    rule('module-boundary', m.name, `only the public entry of module ${m.name} may be imported from outside it`, { pathNot: `^${escape(m.root)}/` }, {
      path: `^${escape(m.root)}/`,
      pathNot: `^(${m.publicEntries.map(escape).join('|')})$`,
    });
    const forbiddenModules = modules.filter((o) => o.name !== m.name && !m.allowedDependencies.includes(o.name)).map((o) => o.root);
    if (forbiddenModules.length) {
      rule('no-undeclared-module-dependency', m.name, `module ${m.name} may depend only on: ${m.allowedDependencies.join(', ') || 'no module'}`, { path: `^${escape(m.root)}/` }, { path: under(forbiddenModules) });
    }
  }

  const { layers } = config;
  for (const m of modules) {
    for (const layer of m.layers) {
      const from = { path: `^${escape(m.root)}/${escape(layers.folders[layer]!)}/` };
      const allowed = layers.allowed[layer] ?? [];
      const denied = m.layers.filter((l) => l !== layer && !allowed.includes(l)).map((l) => `${m.root}/${layers.folders[l]}`);
      if (denied.length) rule('layer-direction', `${m.name}-${layer}`, `layer ${layer} may import ${allowed.join(', ') || 'no other layer'}`, from, { path: under(denied) });
      if (allowed.length === 0) {
        const others = roots.filter((r) => r !== m.root);
        if (others.length) rule('layer-direction', `${m.name}-${layer}-modules`, `layer ${layer} may import only the shared kernel`, from, { path: under(others) });
      }
      const packages = layers.packages[layer];
      if (packages) {
        rule('layer-direction', `${m.name}-${layer}-packages`, `layer ${layer} may import only ${packages.join(', ') || 'no package'}`, from, {
          dependencyTypes: NPM_TYPES,
          ...(packages.length ? { pathNot: packages.map(packageRe) } : {}),
        });
      }
      // Only scanned files: archfit reports an import of a file outside `include` as unresolved-import.
      rule('layer-direction', `${m.name}-${layer}-outside`, 'layered code may import only modules and the shared kernel', from, {
        path: config.include.map(includeRe),
        pathNot: [under([...roots, ...config.sharedKernel, ...config.contexts.map((c) => c.root)]), 'node_modules'],
        dependencyTypesNot: ['core', 'unknown', 'undetermined'],
      });
    }
  }

  const contextFiles = (c: ResolvedConfig['contexts'][number]) => [`^${escape(c.root)}/`, ...c.routeFiles.filter((g) => g !== `${c.root}/**`).map(globRe)];
  for (const c of config.contexts) {
    const others = config.contexts.filter((o) => o.name !== c.name).flatMap(contextFiles);
    if (others.length) rule('context-isolation', c.name, `context ${c.name} must not import other contexts`, { path: contextFiles(c) }, { path: others });
  }
  if (config.contexts.length && roots.length) {
    rule('context-isolation', 'modules', 'modules never import contexts', { path: under(roots) }, { path: under(config.contexts.map((c) => c.root)) });
  }
  if (roots.length) {
    rule('no-module-cycle', 'files', 'no import cycle (file level; archfit checks module level)', { path: under(roots) }, { circular: true });
  }

  if (roots.length) {
    const placed = under([...roots, ...config.contexts.map((c) => c.root), ...config.sharedKernel]);
    rule('unresolved-import', 'not-found', 'a relative or alias-shaped import that does not resolve is an edge no rule checks', { path: placed }, { couldNotResolve: true, path: '^(\\.|[~#]|@/)' });
    rule('unresolved-import', 'outside-include', 'module code imports a source file archfit does not scan', { path: placed }, {
      path: '\\.[cm]?[jt]sx?$',
      pathNot: [...config.include.map(includeRe), 'node_modules'],
      dependencyTypesNot: ['core', 'unknown', 'undetermined'],
    });
  }

  // Config exemptions: without a target, `from.pathNot` of that rule's rules; with a file
  // target, `to.pathNot` (wider than archfit: every importer of the target is exempt, said below).
  const append = (side: Record<string, unknown>, re: string) => {
    const prev = side.pathNot;
    side.pathNot = [...(Array.isArray(prev) ? prev : prev ? [prev] : []), re];
  };
  for (const e of config.exemptions) {
    if (e.to && !e.to.includes('/')) continue;
    for (const r of forbidden.filter((f) => f.name.startsWith(`${e.rule}/`))) append(e.to ? r.to : r.from, globRe(e.to ?? e.file));
  }

  const { tsConfig, notExpressed } = limits(config, graph);
  if (notExpressed.length) {
    // dependency-cruiser's config has no free-text field: an info rule that matches nothing carries the note.
    forbidden.push({
      name: 'archfit-bridge/not-expressed',
      severity: 'info',
      comment: `archfit check resolves and exempts differently here; this generated config cannot express: ${notExpressed.join(' | ')}`,
      from: { path: '^$' },
      to: {},
    });
  }
  return {
    forbidden,
    options: {
      doNotFollow: { path: 'node_modules' },
      exclude: { path: config.exclude.map(excludeRe) },
      tsPreCompilationDeps: true,
      ...(tsConfig ? { tsConfig: { fileName: tsConfig } } : {}),
      moduleSystems: ['es6', 'cjs', 'tsd'],
      skipAnalysisNotInRules: true,
      enhancedResolveOptions: {
        exportsFields: ['exports'],
        conditionNames: ['import', 'require', 'node', 'default', 'types'],
        extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      },
    },
  };
}

/**
 * Which tsconfig dependency-cruiser gets, and what one tsconfig and one condition set lose.
 * Without a graph: the root tsconfig.json when the config lists it or lists none.
 */
function limits(config: ResolvedConfig, graph: ImportGraph | undefined): { tsConfig: string | undefined; notExpressed: string[] } {
  const notExpressed: string[] = [];
  for (const e of config.exemptions.filter((x) => x.to)) {
    notExpressed.push(
      e.to!.includes('/')
        ? `exemption of ${e.rule} for ${e.file} -> ${e.to} (applied to every importer of ${e.to})`
        : `exemption of ${e.rule} for ${e.file} -> module or package ${e.to} (not applied: dependency-cruiser will report it)`,
    );
  }
  if (!graph) {
    const rootConfig = existsSync(path.join(config.root, 'tsconfig.json')) ? 'tsconfig.json' : undefined;
    const tsConfig = config.tsconfig.length === 0 ? rootConfig : config.tsconfig.find((t) => t === 'tsconfig.json');
    return { tsConfig, notExpressed };
  }
  const governed = new Map<string, number>();
  const formats = new Set<string>();
  for (const r of graph.resolution.values()) {
    if (r.tsconfig) governed.set(r.tsconfig, (governed.get(r.tsconfig) ?? 0) + 1);
    if (r.format) formats.add(r.format);
  }
  // dependency-cruiser reads a tsconfig's include and extends relative to its working
  // directory, so only a root tsconfig.json can be handed over; every other one is named.
  const tsConfig = existsSync(path.join(config.root, 'tsconfig.json')) ? 'tsconfig.json' : undefined;
  const others = [...governed].filter(([t]) => t !== tsConfig).sort((a, b) => a[0].localeCompare(b[0]));
  if (others.length) {
    notExpressed.push(
      `per-workspace tsconfigs (paths, baseUrl, moduleResolution): ${tsConfig ? `only ${tsConfig} is used` : 'none is used'}; ${others.map(([t, n]) => `${t} (${n} files)`).join(', ')} are not`,
    );
  }
  if (formats.size > 1) notExpressed.push('per-file module format (CommonJS and ESM packages side by side): one set of conditions resolves every file');
  const unresolved = graph.edges.filter((e) => e.resolution === 'unresolved' && e.unresolvedAs !== 'package').length;
  if (unresolved) notExpressed.push(`${unresolved} imports TypeScript cannot resolve (unresolved-import) may resolve under dependency-cruiser's more lenient resolver`);
  return { tsConfig, notExpressed };
}
