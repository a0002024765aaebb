import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { entriesOf, IGNORED_FOLDERS, moduleName, type InferredModule } from './shared.js';

/**
 * Module maps other boundary tools already keep. archfit reads what it can state in its own
 * terms and says what it leaves behind, so nobody believes a rule was carried over when it
 * was not.
 */

/** Nx: every `project.json` is a project; its `sourceRoot`'s folder is the module, `tags` carry over. */
export function readNxProjects(root: string): InferredModule[] {
  if (!existsSync(path.join(root, 'nx.json'))) return [];
  const files = globSync(['**/project.json'], { cwd: root, ignore: IGNORED_FOLDERS, deep: 5 });
  const out: InferredModule[] = [];
  for (const file of files) {
    const dir = path.posix.dirname(file);
    if (dir === '.') continue;
    let project: { name?: string; tags?: string[] };
    try {
      project = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as typeof project;
    } catch {
      continue;
    }
    const tags = (project.tags ?? []).filter((t) => typeof t === 'string' && t.length > 0);
    out.push({
      name: moduleName(project.name ?? path.posix.basename(dir)),
      root: dir,
      publicEntries: entriesOf(root, dir, readPackage(root, dir)),
      source: `Nx project ${file}`,
      ...(tags.length ? { tags } : {}),
    });
  }
  return out;
}

function readPackage(root: string, dir: string) {
  try {
    return JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Record<string, never>;
  } catch {
    return undefined;
  }
}

/**
 * Sheriff (`sheriff.config.ts`): its `modules` (or older `tagging`) keys are folder patterns
 * with `<placeholders>`; each folder they match that has an index.ts is a module. Sheriff's
 * depRules are functions of tags and have no archfit form: the note says so.
 */
export function readSheriffModules(root: string): { modules: InferredModule[]; note?: string } {
  const file = ['sheriff.config.ts', 'sheriff.config.js'].find((f) => existsSync(path.join(root, f)));
  if (!file) return { modules: [] };
  const text = readFileSync(path.join(root, file), 'utf8');
  // The keys are plain string literals in practice; reading them avoids running the config.
  const block = /(?:modules|tagging)\s*:\s*\{([\s\S]*?)\n\s*\}/.exec(text)?.[1] ?? '';
  const patterns = [...block.matchAll(/['"]([^'"]+)['"]\s*:/g)].map((m) => m[1]!).filter((p) => p.includes('/'));
  const modules: InferredModule[] = [];
  for (const pattern of patterns) {
    const glob = pattern.replace(/<[^>]+>/g, '*');
    for (const dir of globSync([glob], { cwd: root, onlyDirectories: true, ignore: IGNORED_FOLDERS })) {
      const rel = dir.replace(/\/+$/, '');
      const entry = ['index.ts', 'index.tsx'].find((f) => existsSync(path.join(root, rel, f)));
      if (entry) modules.push({ name: moduleName(rel.split('/').slice(-2).join('-')), root: rel, publicEntries: [entry], source: `Sheriff ${file} "${pattern}"` });
    }
  }
  return { modules, note: `Sheriff ${file}: ${modules.length} modules from ${patterns.length} patterns; its depRules are not carried over (write them as dependencies)` };
}

/** dependency-cruiser: its rules are regexes archfit cannot turn back into a map; say it was seen. */
export function readDepcruiseHints(root: string): string | undefined {
  const file = ['.dependency-cruiser.js', '.dependency-cruiser.cjs', '.dependency-cruiser.mjs', '.dependency-cruiser.json', 'dependency-cruiser.cjs', 'dependency-cruiser.js'].find((f) =>
    existsSync(path.join(root, f)),
  );
  if (!file) return undefined;
  const text = readFileSync(path.join(root, file), 'utf8');
  const rules = (text.match(/\bname\s*:\s*['"]/g) ?? []).length;
  return `dependency-cruiser ${file}: about ${rules} named rules seen, not converted (regex rules have no module-map form); \`toDependencyCruiserConfig\` generates one from this map instead`;
}
