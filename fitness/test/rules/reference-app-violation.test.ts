import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/config/load.js';
import { makeRepo } from '../support/tmp-repo.js';

/**
 * On a copy of the reference app with one deliberate violation, the built CLI exits 1 and
 * names the rule, the file and the import. The copy gets the root map as JSON (a temp dir has
 * no node_modules to load `archfit` from a .ts config).
 */
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const bin = path.join(repoRoot, 'fitness/bin/archfit.js');
let copy: ReturnType<typeof makeRepo>;

const firstTs = (dir: string) => {
  const name = readdirSync(path.join(copy.root, dir)).filter((f) => f.endsWith('.ts')).sort()[0];
  if (!name) throw new Error(`no .ts file in ${dir}`);
  return `${dir}/${name}`;
};

interface ReferenceMap {
  include?: string[];
  tsconfig?: string[];
  modules: ({ root?: string; glob?: string } & Record<string, unknown>)[];
  dependencies?: Record<string, string[]>;
  exemptions?: { file: string }[];
  [key: string]: unknown;
}
/** The root map restricted to the reference app (the root config may also map archfit itself). */
function referenceAppOnly(map: ReferenceMap): ReferenceMap {
  const app = (p: string | undefined) => !!p && p.startsWith('reference-app/');
  const modules = map.modules.filter((m) => app(m.root ?? m.glob));
  const named = new Set(modules.filter((m) => typeof m.name === 'string').map((m) => m.name as string));
  const dropped = new Set(map.modules.filter((m) => typeof m.name === 'string' && !named.has(m.name)).map((m) => m.name as string));
  const dependencies = Object.fromEntries(
    Object.entries(map.dependencies ?? {})
      .filter(([k]) => !dropped.has(k))
      .map(([k, v]) => [k, v.filter((t) => !dropped.has(t))]),
  );
  return {
    ...map,
    ...(map.include ? { include: map.include.filter(app) } : {}),
    ...(map.tsconfig ? { tsconfig: map.tsconfig.filter(app) } : {}),
    modules,
    dependencies,
    ...(map.exemptions ? { exemptions: map.exemptions.filter((e) => app(e.file)) } : {}),
  };
}

beforeAll(async () => {
  copy = makeRepo({});
  cpSync(path.join(repoRoot, 'reference-app/src'), path.join(copy.root, 'reference-app/src'), { recursive: true });
  cpSync(path.join(repoRoot, 'reference-app/tsconfig.json'), path.join(copy.root, 'reference-app/tsconfig.json'));
  cpSync(path.join(repoRoot, 'tsconfig.base.json'), path.join(copy.root, 'tsconfig.base.json'));
  // The assistant loads the models engine in-process (an exempted import): it must resolve here too.
  cpSync(path.join(repoRoot, 'reference-app/services'), path.join(copy.root, 'reference-app/services'), { recursive: true });
  const map = (await readConfigFile(path.join(repoRoot, 'archfit.config.ts'))) as ReferenceMap;
  writeFileSync(path.join(copy.root, 'archfit.config.json'), JSON.stringify(referenceAppOnly(map)));
});
afterAll(() => copy?.cleanup());

// With the cache: after the first run only the edited file is parsed again.
const check = () => spawnSync(process.execPath, [bin, 'check', copy.root], { encoding: 'utf8' });

describe('a copy of the reference app with one deliberate violation', () => {
  it('is clean before the edit', () => {
    const r = check();
    expect(r.stdout).toContain('0 errors');
    expect(r.status).toBe(0);
  });

  const cases: { rule: string; dir: string; line: (file: string) => string }[] = [
    { rule: 'module-boundary', dir: 'reference-app/src/modules/orders/application', line: () => "import type * as internals from '../../catalog/domain/listing.js';" },
    { rule: 'no-undeclared-module-dependency', dir: 'reference-app/src/modules/catalog/application', line: () => "import type * as identity from '../../identity/index.js';" },
    { rule: 'layer-direction', dir: 'reference-app/src/modules/catalog/domain', line: () => "import type { Pool } from 'pg';" },
    { rule: 'context-isolation', dir: 'reference-app/src/contexts/consumer', line: () => "import type * as admin from '../admin/admin-context.js';" },
  ];

  it.each(cases)('$rule', ({ rule, dir, line }) => {
    const rel = firstTs(dir);
    const abs = path.join(copy.root, rel);
    const original = readFileSync(abs, 'utf8');
    const added = line(rel);
    writeFileSync(abs, `${added}\n${original}`);
    try {
      const r = check();
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`✖ ${rule} (error)`);
      const specifier = /'([^']+)'/.exec(added)![1]!;
      expect(r.stdout).toContain(`${rel}:1:`);
      expect(r.stdout).toContain(specifier);
    } finally {
      writeFileSync(abs, original);
    }
  });
});
