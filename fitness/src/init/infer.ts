import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { findWorkspacePackages } from '../graph/workspaces.js';
import { entriesOf, IGNORED_FOLDERS, INDEX_FILES, inside, moduleName, type InferredModule, type PackageJson } from './shared.js';
import { readDepcruiseHints, readNxProjects, readSheriffModules } from './tools.js';

export type { InferredModule } from './shared.js';

export interface Inference {
  modules: InferredModule[];
  /** Dependencies between modules are declared by the repository itself (package.json). */
  dependenciesDeclared: boolean;
  /** One line per source looked at, for the config's header and the console. */
  notes: string[];
}

/**
 * Proposes a module map from what the repository already says about itself, most explicit
 * first: Nx projects, Sheriff modules, npm/pnpm/yarn workspaces, tsconfig `paths` aliases,
 * then folders whose children each have an index file (a `src/modules/*`-style layout).
 * A later source never adds a module inside or around one an earlier source found, so the
 * map has no overlapping roots.
 */
export async function inferModuleMap(root: string): Promise<Inference> {
  const notes: string[] = [];
  const found: InferredModule[] = [];
  const add = (mods: InferredModule[]) => {
    for (const m of mods) {
      const clash = found.some((f) => inside(m.root, f.root) || inside(f.root, m.root));
      if (!clash && m.publicEntries.length > 0) found.push(m);
    }
  };

  const nx = readNxProjects(root);
  if (nx.length) notes.push(`Nx: ${nx.length} project.json projects (tags copied)`);
  add(nx);
  const sheriff = readSheriffModules(root);
  if (sheriff.note) notes.push(sheriff.note);
  add(sheriff.modules);
  const workspaces = workspaceModules(root);
  if (workspaces.length) notes.push(`workspaces: ${workspaces.length} packages (dependencies from their package.json)`);
  add(workspaces);
  const aliases = await aliasModules(root);
  if (aliases.length) notes.push(`tsconfig paths: ${aliases.length} aliased folders`);
  add(aliases);
  if (found.length === 0) {
    const indexed = indexedFolderModules(root);
    if (indexed.length) notes.push(`folders with an index file: ${indexed.length} (${[...new Set(indexed.map((m) => path.posix.dirname(m.root)))].join(', ')})`);
    add(indexed);
  }
  const depcruise = readDepcruiseHints(root);
  if (depcruise) notes.push(depcruise);

  uniqueNames(found);
  // A declared dependency on a package that did not become a module (no source entry, or
  // inside another module) has nothing to point at.
  const kept = new Set(found.map((m) => m.name));
  for (const m of found) if (m.declaredDependencies) m.declaredDependencies = m.declaredDependencies.filter((d) => kept.has(d));
  found.sort((a, b) => a.root.localeCompare(b.root));
  return { modules: found, dependenciesDeclared: found.length > 0 && found.every((m) => m.declaredDependencies !== undefined), notes };
}

function uniqueNames(mods: InferredModule[]): void {
  const count = new Map<string, number>();
  for (const m of mods) count.set(m.name, (count.get(m.name) ?? 0) + 1);
  for (const m of mods) {
    if ((count.get(m.name) ?? 0) > 1) m.name = moduleName(m.root.replace(/\//g, '-'));
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function workspaceModules(root: string): InferredModule[] {
  const packages = findWorkspacePackages(root);
  // `@a/utils` and `@b/utils` would both be `utils`: those keep their scope (`a-utils`).
  const short = [...packages.keys()].map((n) => moduleName(n));
  const names = new Map([...packages.keys()].map((n, i) => [n, short.filter((x) => x === short[i]).length > 1 ? moduleName(n.replace(/^@/, '').replace('/', '-')) : short[i]!]));
  const out: InferredModule[] = [];
  for (const [pkgName, dir] of packages) {
    if (dir === '' || dir === '.') continue;
    const pkg = readJson<PackageJson>(path.join(root, dir, 'package.json'));
    const deps = Object.keys({ ...pkg?.dependencies, ...pkg?.devDependencies, ...pkg?.peerDependencies }).filter((d) => names.has(d) && d !== pkgName);
    out.push({
      name: names.get(pkgName)!,
      root: dir,
      publicEntries: entriesOf(root, dir, pkg),
      source: `workspace package ${pkgName}`,
      declaredDependencies: deps.map((d) => names.get(d)!).sort(),
      ...(pkg?.exports && typeof pkg.exports === 'object' && Object.keys(pkg.exports).some((k) => k.includes('*')) ? { wildcardExports: true } : {}),
    });
  }
  return out;
}

/** tsconfig `paths`: `@orders` -> a file makes its folder a module; `@modules/*` -> `x/*` makes each child of x one. */
async function aliasModules(root: string): Promise<InferredModule[]> {
  const tsconfig = await readJsonc(path.join(root, 'tsconfig.json'));
  const options = (tsconfig?.compilerOptions ?? {}) as { paths?: Record<string, string[]>; baseUrl?: string };
  const base = options.baseUrl ?? '.';
  const out: InferredModule[] = [];
  for (const [alias, targets] of Object.entries(options.paths ?? {})) {
    const target = targets[0];
    if (!target) continue;
    const rel = path.posix.normalize(path.posix.join(base, target)).replace(/^\.\//, '');
    if (rel.endsWith('/*') && alias.endsWith('/*')) {
      const container = rel.slice(0, -2);
      // `@/*` -> `src/*` is a source-root alias, not a module folder.
      if (container === '.' || container === '' || /^(src|app|lib)$/.test(container)) continue;
      out.push(...childrenWithIndex(root, container, `tsconfig paths ${alias}`));
    } else if (!rel.includes('*')) {
      const abs = path.join(root, rel);
      const dir = existsSync(abs) && !/\.[cm]?[jt]sx?$/.test(rel) ? rel : path.posix.dirname(rel);
      const entries = dir === rel ? INDEX_FILES.filter((f) => existsSync(path.join(root, dir, f))) : [path.posix.basename(rel)].filter(() => existsSync(abs));
      if (dir && dir !== '.' && !/^(src|app|lib)$/.test(dir)) out.push({ name: moduleName(alias.replace(/^[@~#]/, '')), root: dir, publicEntries: entries, source: `tsconfig paths ${alias}` });
    }
  }
  return out;
}

/** Every child folder of `container` with an index file. */
function childrenWithIndex(root: string, container: string, source: string): InferredModule[] {
  let children: string[];
  try {
    children = readdirSync(path.join(root, container), { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
      .map((d) => d.name);
  } catch {
    return [];
  }
  return children
    .map((c) => ({ name: moduleName(c), root: path.posix.join(container, c), publicEntries: INDEX_FILES.filter((f) => existsSync(path.join(root, container, c, f))).slice(0, 1), source }))
    .filter((m) => m.publicEntries.length > 0);
}

/**
 * A `src/modules/*` layout: the shallowest folders at least two of whose children have an
 * index file, outside test and build folders.
 */
function indexedFolderModules(root: string): InferredModule[] {
  const indexes = globSync(INDEX_FILES.map((f) => `**/*/${f}`), { cwd: root, ignore: IGNORED_FOLDERS, deep: 6 });
  const perContainer = new Map<string, Set<string>>();
  for (const file of indexes) {
    const folder = path.posix.dirname(file);
    const container = path.posix.dirname(folder);
    if (container === '.') continue;
    if (!perContainer.has(container)) perContainer.set(container, new Set());
    perContainer.get(container)!.add(folder);
  }
  const containers = [...perContainer.entries()]
    .filter(([, kids]) => kids.size >= 2)
    .map(([c]) => c)
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  const chosen: string[] = [];
  for (const c of containers) if (!chosen.some((p) => inside(c, p))) chosen.push(c);
  return chosen.flatMap((c) => childrenWithIndex(root, c, `folder with an index file under ${c}/`));
}

/** tsconfig.json allows comments and trailing commas: TypeScript's own reader (ts-morph's copy) parses it. */
export async function readJsonc(file: string): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(file)) return undefined;
  const { ts } = await import('ts-morph');
  const read = ts.readConfigFile(file, ts.sys.readFile);
  return read.error ? undefined : (read.config as Record<string, unknown>);
}
